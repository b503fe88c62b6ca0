"""`bulletin forward` (上报): an item of this desk becomes a new submission in this desk's folder of
the desk above, on a branch of its own, pushed there (its server hook stamps the receipt) and, where
the desk above works with pull requests on a forge, proposed by one. Its front matter keeps where it
came from (原报单位, 原报信息: each desk, item id and receipt on the way, 下级接报时间), and the desk
above's own check judges it like any other submission."""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass

from bulletin.core import fields
from bulletin.core.levels import LEVELS, as_list, as_text, level_rank
from bulletin.core.model import Config
from bulletin.desk.config import Upstream
from bulletin.desk.git import GitFailed
from bulletin.desk.layout import SUBMISSIONS
from bulletin.desk.read import read_item
from bulletin.desk.receipts import read_receipts
from bulletin.duty import engine
from bulletin.errors import UsageError
from bulletin.network import forge
from bulletin.network.upstream import MAIN, Channel, open_channel

# one step of the way up, as 原报信息 lists it: 报送台：信息编号（接报时间）
RELAY = re.compile(r"^(?P<desk>[^：]+)：(?P<item>[a-z0-9][a-z0-9-]*/\d{4}/[^（]+)（接报(?P<at>[^）]*)）$")
NOT_RECEIVED = "未登记"
# what the desk above would not know: its own events, calls, chains and topics are other ones
KEPT = ("标题", "类别", "紧急程度", "密级", "保密期限", "发生时间", "事件等级")
MAX_PER_DAY = 99


@dataclass(frozen=True)
class Relay:
    desk: str
    item: str
    received: str  # as written (a time, or 未登记)


def relays(value: object) -> list[Relay]:
    """The steps of 原报信息 (entries that do not parse are left out)."""
    out = []
    for entry in as_list(value) or []:
        m = RELAY.match(entry.strip())
        if m:
            out.append(Relay(m["desk"].strip(), m["item"].strip(), m["at"].strip()))
    return out


@dataclass(frozen=True)
class Forwarded:
    item: str  # this desk's item id
    path: str  # the new submission in the desk above
    branch: str
    commit: str
    pull_request: forge.PullRequest | None
    late: engine.Case | None  # this desk's own 迟报 above (an emergency forwarded after the limit)


def secrecy_refusal(level: str | None, upstream: Upstream, shown: str) -> str | None:
    """Why an item of 密级 `level` may not go up this channel (None: it may)."""
    if level == fields.TOP_SECRET or (level or "").startswith(fields.TOP_SECRET):
        return f"{shown}：密级为绝密，绝密信息一律不得上报，也不得录入本系统"
    if level not in LEVELS:
        return f"{shown}：密级“{level or '（未写）'}”无效，只能是{'/'.join(LEVELS)}：请先改正再上报"
    if level_rank(level) > level_rank(upstream.max_classification):
        return (
            f"{shown}：密级为{level}，高于与{upstream.name}之间的通道允许的{upstream.max_classification}，不能经本系统上报。"
            "请按保密规定经机要渠道报送"
        )
    return None


def _stamp(moment: dt.datetime, tz: dt.tzinfo) -> str:
    """A receipt time as written in the front matter: to the second, as the receipt has it (2026-12-01 09:05:12)."""
    return f"{moment.astimezone(tz):%Y-%m-%d %H:%M:%S}"


def _quoted(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)  # a JSON string is a YAML double-quoted scalar


@dataclass(frozen=True)
class Source:
    """An item of this desk that goes up (alone, or as one of the sources of an issue's entry)."""

    item: str  # its id
    fields: dict[str, object]  # its front matter
    received: dt.datetime | None  # its receipt here


@dataclass(frozen=True)
class Draft:
    """What the desk above receives, before it is given its unit, informant and approver there."""

    title: str
    body: str
    fields: dict[str, object]  # 类别, 紧急程度, 密级 … (KEPT)
    sources: tuple[Source, ...]

    @property
    def received(self) -> dt.datetime | None:
        """When this desk received it: the earliest of its sources' receipts."""
        times = [s.received for s in self.sources if s.received is not None]
        return min(times) if times else None


def render(config: Config, upstream: Upstream, above: Config, draft: Draft, approver: str) -> str:
    """The submission the desk above receives: its own unit, informant and recipients, with the provenance."""
    fm = draft.fields
    lines = ["---", f"标题: {_quoted(draft.title)}"]
    lines += [
        f"报送单位: {upstream.unit}",
        f"信息员: {_quoted(upstream.informant)}",
        f"签发人: {_quoted(approver)}",
    ]
    for key in KEPT[1:]:
        value = as_text(fm.get(key))
        if value:
            lines.append(f"{key}: {_quoted(value)}")
    lines.append(f"报送对象: [{', '.join(_quoted(r) for r in above.recipients)}]")
    topics = [t for t in as_list(fm.get("主题")) or [] if t in above.topics]
    if topics:
        lines.append(f"主题: [{', '.join(_quoted(t) for t in topics)}]")
    originals: list[str] = []
    steps: list[str] = []
    for source in draft.sources:
        unit = config.unit(source.item.split("/", 1)[0])
        originals += as_list(source.fields.get("原报单位")) or [unit.name if unit else source.item.split("/", 1)[0]]
        steps += [f"{r.desk}：{r.item}（接报{r.received}）" for r in relays(source.fields.get("原报信息"))]
        when = _stamp(source.received, config.timezone) if source.received else NOT_RECEIVED
        steps.append(f"{config.desk}：{source.item}（接报{when}）")
    lines.append(f"原报单位: [{', '.join(_quoted(u) for u in dict.fromkeys(originals))}]")
    lines.append(f"原报信息: [{', '.join(_quoted(s) for s in steps)}]")
    if draft.received is not None:
        lines.append(f"下级接报时间: {_quoted(_stamp(draft.received, config.timezone))}")
    lines += ["---", "", draft.body.strip(), ""]
    return "\n".join(lines)


def source(config: Config, item_id: str, upstream: Upstream) -> Source:
    """One accepted item of this desk, its 密级 allowed on the channel."""
    item_id = item_id.strip().removeprefix(f"{SUBMISSIONS}/").removesuffix(".md")
    rel = f"{SUBMISSIONS}/{item_id}.md"
    if not (config.root / rel).is_file():
        raise UsageError(f"信息{rel}不存在：请写submissions/下的信息编号，如xiushui-yining/2026/1201-01")
    _require_accepted(config, rel)
    item, problems = read_item(config.root / rel, rel, config.limits.file_max_bytes)
    if not item.front_matter_ok:
        where = f"第{problems[0].line}行：" if problems and problems[0].line else ""
        raise UsageError(f"{rel}：{where}头部信息读不出，未上报：请先运行“bulletin check {rel}”并改正")
    refused = secrecy_refusal(as_text(item.fields.get("密级")), upstream, rel)
    if refused:
        raise UsageError(refused + "。未上报")
    received = read_receipts(config.root, [rel]).get(rel)
    return Source(item_id, dict(item.fields), received.received_at if received else None)


def item_draft(config: Config, upstream: Upstream, item_id: str) -> Draft:
    """An item as its unit wrote it (and this desk accepted it)."""
    found = source(config, item_id, upstream)
    rel = f"{SUBMISSIONS}/{found.item}.md"
    item, _ = read_item(config.root / rel, rel, config.limits.file_max_bytes)
    return Draft(as_text(found.fields.get("标题")) or found.item, item.body, found.fields, (found,))


def entry_draft(config: Config, upstream: Upstream, issue_id: str, number: int) -> Draft:
    """The `number`th item of an issue, as the editors edited it (a 综合 item: all its sources)."""
    from bulletin.editorial.assemble import load_issues

    issues, _ = load_issues(config)
    issue = next((i for i in issues if i.id == issue_id.strip()), None)
    if issue is None:
        known = "、".join(i.id for i in issues[-3:]) or "（尚无刊物）"
        raise UsageError(f"找不到刊物“{issue_id}”：请写刊物/年份/期号，如{known}")
    if not 1 <= number <= len(issue.items):
        raise UsageError(f"{issue.path}共{len(issue.items)}条，没有第{number}条：--entry写1到{len(issue.items)}")
    _require_accepted(config, issue.path)
    entry = issue.items[number - 1]
    sources = tuple(source(config, item, upstream) for item in entry.sources)
    if not sources:
        raise UsageError(f"{issue.path}第{entry.line}行：这一条没有“来源”，不知记在哪个单位名下，未上报")
    fm: dict[str, object] = dict(sources[0].fields)
    fm["密级"] = max((as_text(s.fields.get("密级")) or "" for s in sources), key=level_rank)
    secret = next((s for s in sources if as_text(s.fields.get("密级")) == fm["密级"]), sources[0])
    fm["保密期限"] = secret.fields.get("保密期限")
    urgencies = [as_text(s.fields.get("紧急程度")) for s in sources]
    fm["紧急程度"] = next((u for u in fields.URGENCIES if u in urgencies), fm.get("紧急程度"))
    return Draft(entry.title, entry.text, fm, sources)


def forward(
    config: Config,
    upstream: Upstream,
    item_id: str | None,
    moment: dt.datetime,
    approver: str = "",
    issue: tuple[str, int] | None = None,
) -> Forwarded:
    """Forward the item `item_id` of this desk (or the entry `issue` = (issue id, number) of one of its
    issues, as edited) to the desk above (see the module's doc)."""
    if issue is not None:
        draft = entry_draft(config, upstream, *issue)
    elif item_id:
        draft = item_draft(config, upstream, item_id)
    else:
        raise UsageError("请给出要上报的信息编号，或用“--issue 刊物/年份/期号 --entry 第几条”上报刊物中编辑过的一条")
    approver = approver.strip() or upstream.approver
    if not approver:
        raise UsageError("上报须写明本级签发人：用“--approver 姓名”，或在bulletin.yml的upstream.approver中写明")
    secret = forge.token(upstream) if upstream.forge != "push" else ""

    channel = open_channel(config, upstream)
    channel.fetch()
    channel.checkout()
    above = channel.config()
    unit = above.unit(upstream.unit)
    if unit is None:
        raise UsageError(
            f"{upstream.name}的名册中没有单位“{upstream.unit}”：请核对bulletin.yml中的upstream.unit，"
            "或请上级报送台把本台登记为报送单位"
        )
    if upstream.informant not in {i.name for i in unit.informants}:
        known = "、".join(i.name for i in unit.informants) or "（尚未登记）"
        raise UsageError(
            f"upstream.informant“{upstream.informant}”不是{upstream.name}名册中{unit.name}的信息员（已登记：{known}）："
            "请核对bulletin.yml，或请上级报送台登记"
        )
    text = render(config, upstream, above, draft, approver)
    path, branch = _free_name(channel, moment.astimezone(config.timezone))
    commit = _commit_and_push(channel, path, text, branch, f"上报：{draft.title}")
    shown = "、".join(s.item for s in draft.sources)
    request = None
    if upstream.forge != "push":
        body = f"{config.desk}上报{shown}，签发人：{approver}。"
        request = forge.open_pull_request(upstream, secret, branch, f"上报：{draft.title}", body)
    late = None
    received = draft.received
    if received is not None:
        first = next(s for s in draft.sources if s.received == received)
        sub = engine.submitted(config, first.item, {**first.fields, **draft.fields, "标题": draft.title})
        late = engine.forward_case(sub, received, moment, upstream.emergency_limit, upstream.unit)
    return Forwarded(shown, path, branch, commit, request, late)


def _require_accepted(config: Config, rel: str) -> None:
    """Only what this desk accepted goes up: the file as it is on main (merged), unchanged since."""
    from bulletin.desk import git as gitio

    checkout = gitio.Checkout.of(config.root)
    name, commit = checkout.base(None)
    try:
        merged = checkout.blob(commit, rel)
    except FileNotFoundError:
        raise UsageError(
            f"{rel}不在主分支（{name}）上：只上报本台已审核合并的信息，请先合并它的合并请求再上报"
        ) from None
    if merged != (config.root / rel).read_bytes():
        raise UsageError(f"{rel}与主分支（{name}）上的不同：请先提交并合并本地的改动，或撤销改动后再上报")


def _free_name(channel: Channel, when: dt.datetime) -> tuple[str, str]:
    """The first name of the day free in this desk's folder there, on main and on its branches there."""
    folder = channel.folder
    taken = set(channel.names(MAIN, folder))
    branches = channel.branch_names()
    for ref in branches:
        taken |= set(channel.names(ref, folder))
    names = {ref.rsplit("/", 1)[-1] for ref in branches}
    for number in range(1, MAX_PER_DAY + 1):
        stem = f"{when:%m%d}-{number:02d}"
        path = f"{folder}/{when.year}/{stem}.md"
        if path not in taken and stem not in names:
            return path, f"{channel.upstream.unit}/{stem}"
    raise UsageError(f"{folder}/{when.year}下{when:%m月%d日}已有{MAX_PER_DAY}条上报：请检查是否重复上报")


def _commit_and_push(channel: Channel, path: str, text: str, branch: str, message: str) -> str:
    channel.checkout(MAIN, "forward")
    target = channel.tree / path
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    who = {
        "GIT_AUTHOR_NAME": channel.upstream.informant,
        "GIT_AUTHOR_EMAIL": "bulletin@localhost",
        "GIT_COMMITTER_NAME": channel.upstream.informant,
        "GIT_COMMITTER_EMAIL": "bulletin@localhost",
    }
    try:
        channel.git("add", "--sparse", "--", str(target))
        channel.git("commit", "--quiet", "--no-verify", "-m", message, env=who)
        commit = channel.git("rev-parse", "HEAD").strip()
        channel.git("push", "--quiet", channel.upstream.url, f"HEAD:refs/heads/{branch}")
    except GitFailed as exc:
        said = [line.removeprefix("remote: ").strip() for line in str(exc).splitlines() if "信息报送台" in line]
        reason = "；".join(said) or str(exc).strip().splitlines()[-1]
        raise UsageError(f"推送到{channel.upstream.name}（{channel.upstream.url}）未成功，未上报：{reason}") from exc
    finally:
        channel.checkout()
    return commit
