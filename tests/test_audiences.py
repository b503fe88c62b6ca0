"""Each audience's site holds what it may read and nothing else: pages, search index, sitemap, PDFs.

The demo desk is built once with `bulletin build --every-audience`; every file of each audience's
site is read (HTML, JSON, XML, the gzipped sitemap, the PDFs' text) and searched for the text of
every item the audience must not read (zero hits) and every item it must read (all present).
What an audience may read is worked out here from the files themselves, not by the code under test.
"""

from __future__ import annotations

import gzip
import html
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import pymupdf
import pytest

from bulletin.core.fields import CLASSIFICATIONS
from bulletin.core.levels import item_level
from bulletin.core.model import Audience, Config, Issue
from bulletin.desk.config import load_config
from bulletin.editorial.assemble import load_issues, load_submission
from bulletin.publish.audience import Scope
from bulletin.publish.feedback import sees_intake
from bulletin.rules.header import text_field
from bulletin.rules.secrecy import classification_of
from desk_helpers import REPO, make_desk, run_cli

_TAG = re.compile(r"<[^>]+>")
_MARKUP = re.compile(r"[\s*_`#>\[\]()|\\]")
_PAGE_NUMBER = re.compile(r"—\d+—")  # the PDF's page numbers, which break a sentence at a page end
_SENTENCE = re.compile(r"[^。；！？]{12,}[。；！？]")


def squeeze(text: str) -> str:
    """Text with markup, tags and all white space taken out, as it is searched."""
    return _MARKUP.sub("", html.unescape(_TAG.sub("", text)))


def rank(level: str) -> int:
    return CLASSIFICATIONS.index(level) if level in CLASSIFICATIONS else len(CLASSIFICATIONS)


@dataclass(frozen=True)
class Piece:
    """A distinctive piece of one item: its title or a sentence of its text."""

    where: str  # issue id / submission id, for the failure message
    text: str


def issue_level(config: Config, issue: Issue) -> int:
    level = rank(issue.classification)
    for item in issue.items:
        for source in item.sources:
            sub = load_submission(config, source)
            assert sub is not None, source
            level = max(level, rank(classification_of(sub)[0]))
    return level


def title_of(config: Config, sub_id: str) -> str:
    item = load_submission(config, sub_id)
    assert item is not None, sub_id
    return text_field(item, "标题") or ""


def item_pieces(issue: Issue) -> list[Piece]:
    pieces = []
    for item in issue.items:
        pieces.append(Piece(f"{issue.id} 条目标题", squeeze(item.title)))
        sentences = _SENTENCE.findall(item.text)  # a notice's table has none: its title stands for it
        pieces += [Piece(f"{issue.id}：{item.title}", squeeze(s)) for s in sentences[:3]]
    return pieces


def readable(audience: Audience, config: Config, issue: Issue) -> bool:
    return issue.publication in audience.publications and issue_level(config, issue) <= rank(
        audience.max_classification
    )


def site_text(folder: Path) -> tuple[str, str]:
    """(everything the site serves as text, the PDFs' text), each squeezed."""
    texts, pdfs = [], []
    for path in sorted(folder.rglob("*")):
        if not path.is_file():
            continue
        if path.suffix in (".html", ".json", ".xml", ".js", ".txt", ".css"):
            texts.append(path.read_text(encoding="utf-8", errors="replace"))
        elif path.name.endswith(".xml.gz"):
            texts.append(gzip.decompress(path.read_bytes()).decode("utf-8"))
        elif path.suffix == ".pdf":
            with pymupdf.open(path) as doc:
                pdfs.append("".join(page.get_text() for page in doc))
    return squeeze("\n".join(texts)), _PAGE_NUMBER.sub("", squeeze("\n".join(pdfs)))


@pytest.fixture(scope="module")
def config() -> Config:
    return load_config(REPO)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    desk = make_desk(tmp_path_factory.mktemp("audiences") / "desk")
    # listings of more than two rows are split by time (see pages.chunks), so the split pages are searched too
    config = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    assert "\n  - bulletin\n" in config
    (desk / "mkdocs.yml").write_text(
        config.replace("\n  - bulletin\n", "\n  - bulletin:\n      page_rows: 2\n"), "utf-8"
    )
    for name in ("docs", "issues", "events", "calls", "receipts"):
        shutil.copytree(REPO / name, desk / name)
    secret_late_item_and_its_notice(desk)
    done = run_cli("build", "--every-audience", cwd=desk)
    assert done.returncode == 0, done.stderr[-3000:]
    return desk / "site"


SECRET_TITLE = "湖口县某涉密事项处置进展"


def secret_late_item_and_its_notice(desk: Path) -> None:
    """A 秘密 item received late, and December's 通报 (内部) drafted by `bulletin notice` and signed:
    the notice must name the case without the title (issue 12, finding 2)."""
    item = (
        f"---\n标题: {SECRET_TITLE}\n报送单位: 湖口县\n信息员: 张旭\n签发人: 殷志华\n类别: 突发性\n紧急程度: 特急\n"
        "密级: 秘密\n保密期限: 1年\n发生时间: 2026-12-01 08:00\n报送对象: [市委]\n---\n\n"
        "12月1日8时许，湖口县某单位发生涉密事项，县委县政府高度重视，已组织力量妥善处置，目前情况平稳。\n"
    )
    (desk / "submissions/hukou/2026").mkdir(parents=True, exist_ok=True)
    (desk / "submissions/hukou/2026/1215-01.md").write_text(item, encoding="utf-8")
    with (desk / "receipts/imported.tsv").open("a", encoding="utf-8") as tsv:
        tsv.write("submissions/hukou/2026/1215-01.md\t2026-12-01T13:00:00+08:00\thukou-zhangxu\timport\n")
    done = run_cli("notice", "--period", "2026-12", "--date", "2026-12-31", "--now", "2026-12-31 23:00", cwd=desk)
    assert done.returncode == 0, done.stderr
    [draft] = [p for p in (desk / "issues/tongbao/2026").glob("*.md") if "2026年12月" in p.read_text(encoding="utf-8")]
    text = draft.read_text(encoding="utf-8").replace("【待填写：签发领导】", "周建国")
    assert "一条秘密信息（hukou/2026/1215-01" in text and SECRET_TITLE not in text
    draft.write_text(text, encoding="utf-8")


def test_a_secret_title_reaches_no_site_through_the_notice(config: Config, built: Path) -> None:
    """Issue 12, finding 2: the 内部 notice quoted 秘密 titles; it is published to every audience."""
    for audience in config.audiences:
        text, pdfs = site_text(built / audience.id)
        if sees_intake(Scope(audience)) and rank(audience.max_classification) >= rank("秘密"):
            # the office's own site lists its intake up to its clearance (issue 15): on the unit page only
            notices, _ = site_text(built / audience.id / "publications" / "tongbao")
            assert squeeze(SECRET_TITLE) not in notices + pdfs, audience.id
            # (its page or its month's page: the unit page shows the current month, older months on pages
            # of their own, units/hukou/2026-12/ once December is over)
            unit_pages, _ = site_text(built / audience.id / "units" / "hukou")
            assert squeeze(SECRET_TITLE) in unit_pages, audience.id
        else:
            assert squeeze(SECRET_TITLE) not in text + pdfs, audience.id
        if "tongbao" in audience.publications:
            assert "一条秘密信息" in text, audience.id  # the case itself is notified


def test_the_demo_has_something_to_keep_from_every_audience_but_the_highest(config: Config) -> None:
    issues, _ = load_issues(config)
    assert any(issue_level(config, i) == rank("机密") for i in issues), "the demo should carry a 机密 item"
    for audience in config.audiences:
        if audience.max_classification != "机密":
            assert any(not readable(audience, config, i) for i in issues), audience.id
    # clearance, not only the list of publications, keeps something back from some audience
    assert any(i.publication in a.publications and not readable(a, config, i) for a in config.audiences for i in issues)


@pytest.mark.parametrize("audience_id", ["leaders", "office", "counties", "departments"])
def test_an_audience_site_holds_exactly_what_it_may_read(config: Config, built: Path, audience_id: str) -> None:
    audience = config.audience(audience_id)
    assert audience is not None
    issues, _ = load_issues(config)
    allowed = [i for i in issues if readable(audience, config, i)]
    refused = [i for i in issues if not readable(audience, config, i)]
    carried = {source for issue in allowed for item in issue.items for source in item.sources}
    allowed_text = "".join(p.text for i in allowed for p in item_pieces(i)) + "".join(
        squeeze(title_of(config, source)) for source in carried
    )
    text, pdfs = site_text(built / audience.id)
    everything = text + pdfs
    assert list((built / audience.id / "topics").glob("*/*/index.html")), "some topic's listing should be split"

    # nothing of a refused issue, in any file (a piece also printed in an allowed issue is not a leak)
    leaks = [p for i in refused for p in item_pieces(i) if p.text not in allowed_text and p.text in everything]
    assert leaks == [], f"{audience.name}的站点含有不应看到的内容：{leaks[:5]}"
    # a submission's title only where an allowed issue carries it (readers receive issues, not the intake),
    # but for the office's own site: its intake (items in no issue) up to its clearance (issue 15)
    in_issues = {source for issue in issues for item in issue.items for source in item.sources}
    intake = sees_intake(Scope(audience))
    for sub_path in sorted((REPO / "submissions").glob("*/*/*.md")):
        sub_id = sub_path.relative_to(REPO / "submissions").with_suffix("").as_posix()
        title = squeeze(title_of(config, sub_id))
        sub = load_submission(config, sub_id)
        assert sub is not None
        listed = intake and sub_id not in in_issues and rank(item_level(sub)) <= rank(audience.max_classification)
        if sub_id in carried or listed:
            assert title in text, f"{audience.name}的站点缺少{sub_id}的标题"
        elif title not in allowed_text:
            assert title not in everything, f"{audience.name}的站点含有{sub_id}的标题"

    # every allowed issue: its page, its PDF, every item's text in both
    for issue in allowed:
        assert (built / audience.id / "pdf" / f"{issue.id}.pdf").is_file(), issue.id
        missing = [p for p in item_pieces(issue) if p.text not in text or p.text not in pdfs]
        assert missing == [], f"{audience.name}的站点缺少：{missing[:5]}"
    for issue in refused:
        assert not (built / audience.id / "pdf" / f"{issue.id}.pdf").exists(), issue.id
        assert not (built / audience.id / "publications" / issue.id).exists(), issue.id


def test_only_the_publications_an_audience_receives_are_listed(config: Config, built: Path) -> None:
    counties = config.audience("counties")
    assert counties is not None
    nav = (built / "counties" / "publications" / "index.html").read_text(encoding="utf-8")
    for pub in config.publications:
        assert (pub.name in nav) == (pub.id in counties.publications), pub.id
        assert (built / "counties" / "publications" / pub.id).exists() == (pub.id in counties.publications)
    assert "县区办公室" in nav and "最高密级：内部" in nav


def test_an_audiences_build_holds_only_its_own_and_everything_needs_all(tmp_path: Path) -> None:
    desk = make_desk(tmp_path / "desk")
    shutil.copy(REPO / "mkdocs.yml", desk / "mkdocs.yml")
    for name in ("docs", "issues"):
        shutil.copytree(REPO / name, desk / name)
    done = run_cli("build", "--audience", "counties", cwd=desk)
    assert done.returncode == 0, done.stderr[-3000:]
    assert not (desk / "site/counties/publications/neican").exists()
    assert "县区办公室" in (desk / "site/counties/index.html").read_text(encoding="utf-8")
    done = run_cli("build", "--audience", "all", cwd=desk)
    assert done.returncode == 0, done.stderr[-3000:]
    assert (desk / "site-all/publications/neican/2026/002/index.html").is_file()
    assert not (desk / "site/all").exists()  # outside the deployed folder: a copy of site/ never takes it along
    assert not (desk / "site/counties/publications/neican").exists()


def test_an_unknown_audience_is_a_plain_error(tmp_path: Path) -> None:
    desk = make_desk(tmp_path / "desk")
    shutil.copy(REPO / "mkdocs.yml", desk / "mkdocs.yml")
    done = run_cli("build", "--audience", "市委书记", cwd=desk)
    assert done.returncode == 2
    assert "读者范围“市委书记”不在bulletin.yml的audiences中" in done.stderr and "leaders（市领导）" in done.stderr
    assert "Traceback" not in done.stderr
    assert not (desk / "site").exists()


def test_every_audience_sees_every_case_and_no_title_above_it(config: Config, built: Path) -> None:
    """The 报送纪律 page lists every case `bulletin overdue --all` and the statistics count (issue 11: the
    site dropped the cases of items an audience does not carry); an item the site does not carry is
    named by its number, never by its title (issue 12, finding 2)."""
    import json

    desk = built.parent
    data = json.loads(run_cli("overdue", "--all", "--format", "json", cwd=desk).stdout)
    cases = [c for c in data["cases"] if not c["kind"].startswith("约稿")]
    assert any(c["event"] is None and c["submission"] for c in cases), "the demo should have an item's own case"
    for audience in config.audiences:
        page = squeeze((built / audience.id / "discipline" / "index.html").read_text(encoding="utf-8"))
        parts = "".join(
            squeeze(p.read_text(encoding="utf-8")) for p in (built / audience.id / "discipline").glob("*/*/index.html")
        )
        for case in cases:
            assert squeeze(case["event"] or case["submission"]) in page + parts, (audience.id, case["text"])
    secret = squeeze(SECRET_TITLE)
    for audience in config.audiences:
        assert secret not in squeeze((built / audience.id / "discipline" / "index.html").read_text(encoding="utf-8"))


def test_which_audience_sees_the_intake_is_configured_not_named_in_code(tmp_path: Path) -> None:
    """Only an audience marked `intake: true` (the office's own) lists the items no issue carries;
    any id may be that audience, and a value other than true or false is refused with its place."""
    from bulletin.errors import ConfigError

    desk = make_desk(tmp_path / "desk", with_submissions=False)
    config = load_config(desk)
    assert [a.id for a in config.audiences if sees_intake(Scope(a))] == ["office"]
    text = (desk / "bulletin.yml").read_text(encoding="utf-8")
    text = text.replace("    intake: true", "    intake: false").replace(
        "  - id: counties\n", "  - id: counties\n    intake: true\n"
    )
    (desk / "bulletin.yml").write_text(text, encoding="utf-8")
    assert [a.id for a in load_config(desk).audiences if sees_intake(Scope(a))] == ["counties"]
    (desk / "bulletin.yml").write_text(text.replace("    intake: true", "    intake: 是"), encoding="utf-8")
    with pytest.raises(ConfigError, match="读者范围counties的intake应为true或false"):
        load_config(desk)
