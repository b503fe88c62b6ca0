"""What one audience (读者范围) may read: the issues, revisions, submissions and cases of its site.

A site is built for one audience at a time; what it may not read is left out of the desk the
pages are made from, so it is absent from every page, the navigation, the search index, the
sitemap and the PDFs (nothing is hidden by styling). An issue is one document with one 密级:
the highest of what it declares and what its items' sources carry; an audience receives it
only when it receives the publication and is cleared for that 密级. A submission's title
appears (on unit and topic pages) only when an issue the audience receives carries it.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from bulletin.core.fields import CLASSIFICATIONS
from bulletin.core.model import Audience, Config
from bulletin.errors import ConfigError
from bulletin.publish.pages import Desk, issue_marks

ENV = "BULLETIN_AUDIENCE"  # set by `bulletin build --audience` (and for mike), read by the plugin
EVERYTHING = "all"  # the full site: only by explicit request, for the office itself


@dataclass(frozen=True)
class Scope:
    """The audience a build is for; `audience` None is the full site."""

    audience: Audience | None

    @property
    def full(self) -> bool:
        return self.audience is None

    def cleared(self, level: str) -> bool:
        if self.audience is None:
            return True
        if level not in CLASSIFICATIONS:  # unknown or 绝密: never
            return False
        return CLASSIFICATIONS.index(level) <= CLASSIFICATIONS.index(self.audience.max_classification)

    def receives(self, publication: str) -> bool:
        return self.audience is None or publication in self.audience.publications

    @property
    def label(self) -> str:
        if self.audience is None:
            return "全部内容（信息处内部）"
        return f"{self.audience.name}（最高密级：{self.audience.max_classification}）"


def scope_for(config: Config, requested: str | None) -> Scope:
    """The scope of a build: the named audience, `all` for everything, the least-privileged
    audience when none is named. A desk with no audiences configured builds everything."""
    requested = (requested or "").strip()
    if requested == EVERYTHING:
        return Scope(None)
    if not requested:
        return Scope(config.least_audience())
    audience = config.audience(requested)
    if audience is None:
        names = "、".join(f"{a.id}（{a.name}）" for a in config.audiences) or "（bulletin.yml中未配置audiences）"
        raise ConfigError(
            f"读者范围“{requested}”不在bulletin.yml的audiences中：可用{names}，或{EVERYTHING}（全部内容）"
        )
    return Scope(audience)


def requested_audience() -> str | None:
    return os.environ.get(ENV) or None


def restrict(desk: Desk, scope: Scope) -> Desk:
    """The desk as `scope` may see it: a new Desk holding only what the audience may read.

    Readers receive publications, not the office's intake: a submission is listed (its title on
    unit and topic pages) only when an issue the audience receives carries it.
    """
    if scope.audience is None:
        return desk
    issues = [i for i in desk.issues if scope.receives(i.publication) and scope.cleared(issue_marks(desk, i)[0])]
    kept = {i.id for i in issues}
    carried = {source for issue in issues for item in issue.items for source in item.sources}
    submissions = {k: v for k, v in desk.submissions.items() if k in carried and scope.cleared(v.classification)}
    narrow = Desk.build(desk.config, issues, submissions)
    narrow.publications = tuple(p for p in desk.config.publications if scope.receives(p.id))
    narrow.audience_label = scope.label
    narrow.audience_id = scope.audience.id
    narrow.year = desk.year
    for issue_id, revisions in desk.revisions.items():
        if issue_id in kept:  # an earlier version may have carried what the correction removed
            narrow.revisions[issue_id] = [r for r in revisions if scope.cleared(issue_marks(desk, r.issue)[0])]
    return narrow
