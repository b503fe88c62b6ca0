"""Times, durations and time limits (pure functions, every datetime zone-aware)."""

from __future__ import annotations

import contextlib
import datetime as dt
import re
from zoneinfo import ZoneInfo

BEIJING = ZoneInfo("Asia/Shanghai")

_CN_TIME = re.compile(
    r"^(?P<y>\d{4})年(?P<m>\d{1,2})月(?P<d>\d{1,2})日"
    r"(?:\s*(?P<H>\d{1,2})(?:时|点)(?:(?P<M>\d{1,2})分)?(?:(?P<S>\d{1,2})秒)?)?$"
)
_PLAIN_TIME = re.compile(
    r"^(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})"
    r"(?:[ T](?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2}))?)?$"
)
_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(分钟|分|小时|时|天|日|h|m|min|d)\s*$", re.IGNORECASE)
_DURATION_UNITS = {
    "分钟": 60,
    "分": 60,
    "m": 60,
    "min": 60,
    "小时": 3600,
    "时": 3600,
    "h": 3600,
    "天": 86400,
    "日": 86400,
    "d": 86400,
}
_TERM = re.compile(r"^\s*(\d+)\s*(年|个月|月)\s*$")


class TimeFormatError(ValueError):
    """A time or duration that cannot be read; the message says what is accepted."""


# what the time of a message's examples is when the caller knows no better (the rule guide's examples)
EXAMPLE = dt.datetime(2026, 11, 28, 8, 30, tzinfo=BEIJING)
# a time without its date, as clerks write it: 8:00, 8：30, 8时, 8点30分, 8点半
_CLOCK_ONLY = re.compile(
    r"^(?P<H>\d{1,2})(?:[:：](?P<M>\d{2})(?:[:：]\d{2})?|[时点](?:(?P<M2>\d{1,2})分?|(?P<half>半))?)$"
)
# a time without its year: 11-28 08:30, 11月28日8时30分, 11月28日
_NO_YEAR = re.compile(
    r"^(?P<m>\d{1,2})(?:-|/|月)(?P<d>\d{1,2})日?"
    r"(?:\s*(?P<H>\d{1,2})(?:[:：](?P<M>\d{2})|[时点](?:(?P<M2>\d{1,2})分?)?))?$"
)


def plain_time(moment: dt.datetime, tz: dt.tzinfo = BEIJING) -> str:
    """A moment as a clerk writes it in a file: 2026-11-28 08:30."""
    return f"{moment.astimezone(tz):%Y-%m-%d %H:%M}"


def formats_help(example: dt.datetime = EXAMPLE, tz: dt.tzinfo = BEIJING) -> str:
    """The accepted ways of writing a time, shown with `example` (the item's own day, or today)."""
    local = example.astimezone(tz)
    return (
        f"{plain_time(local)}、{local.isoformat(timespec='seconds')}或"
        f"{local.year}年{local.month}月{local.day}日{local.hour}时" + (f"{local.minute}分" if local.minute else "")
    )


TIME_FORMATS_HELP = formats_help()


class DateMissing(TimeFormatError):
    """A time written without its date (8:00) or its year (11月28日8时): `corrected` gives it whole."""

    def __init__(self, message: str, clock: dt.time | None, month_day: tuple[int, int] | None = None) -> None:
        super().__init__(message)
        self.clock = clock
        self.month_day = month_day

    def corrected(self, example: dt.datetime, tz: dt.tzinfo = BEIJING) -> str:
        """What was written, made whole with the date (or the year) of `example`: 2026-11-28 08:00."""
        local = example.astimezone(tz)
        day = local.date()
        if self.month_day is not None:
            with contextlib.suppress(ValueError):  # 2月30日: the day of `example` instead
                day = dt.date(local.year, *self.month_day)
        clock = self.clock or local.time()
        return plain_time(dt.datetime.combine(day, clock, tzinfo=tz))


def _date_missing(text: str) -> DateMissing | None:
    """Why `text` is not a whole time because it lacks its date or its year; None if that is not why."""
    m = _CLOCK_ONLY.match(text)
    if m:
        minute = 30 if m["half"] else int(m["M"] or m["M2"] or 0)
        if int(m["H"]) < 24 and minute < 60:
            return DateMissing(f"“{text}”只有钟点，没有日期", dt.time(int(m["H"]), minute))
    m = _NO_YEAR.match(text)
    if m:
        clock = None
        if m["H"] is not None:
            hour, minute = int(m["H"]), int(m["M"] or m["M2"] or 0)
            clock = dt.time(hour, minute) if hour < 24 and minute < 60 else None
        return DateMissing(f"“{text}”没有写年份", clock, (int(m["m"]), int(m["d"])))
    return None


def parse_time(
    value: object, tz: dt.tzinfo = BEIJING, require_clock: bool = False, example: dt.datetime = EXAMPLE
) -> dt.datetime:
    """Read an event time or deadline. Times without an offset are taken in `tz` (Beijing).

    With `require_clock`, a bare date is refused: an event's time limit is counted in hours. The
    messages show the accepted forms with `example` (the item's own day, or today). A time without
    its date or year is a `DateMissing`.
    """
    shown = formats_help(example, tz)
    if isinstance(value, dt.datetime):
        return value if value.tzinfo else value.replace(tzinfo=tz)
    if isinstance(value, dt.date):
        if require_clock:
            raise TimeFormatError(f"须写到几时几分，如{shown}")
        return dt.datetime(value.year, value.month, value.day, tzinfo=tz)
    if not isinstance(value, str):
        raise TimeFormatError(f"时间应写成一行文字，如{shown}")
    text = value.strip()
    for pattern in (_PLAIN_TIME, _CN_TIME):
        m = pattern.match(text)
        if m:
            if require_clock and m["H"] is None:
                raise TimeFormatError(f"“{text}”只有日期，须写到几时几分，如{shown}")
            try:
                return dt.datetime(
                    int(m["y"]),
                    int(m["m"]),
                    int(m["d"]),
                    int(m["H"] or 0),
                    int(m["M"] or 0),
                    int(m["S"] or 0),
                    tzinfo=tz,
                )
            except ValueError as exc:
                raise TimeFormatError(f"“{text}”不是有效的日期时间") from exc
    missing = _date_missing(text)
    if missing is not None:
        raise missing
    try:
        parsed = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError as exc:
        raise TimeFormatError(f"无法识别时间“{text}”，请写成{shown}") from exc
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=tz)


def field_time(
    value: object, tz: dt.tzinfo = BEIJING, require_clock: bool = False, example: dt.datetime = EXAMPLE
) -> dt.datetime:
    """A time written in a desk file (an item's 发生时间 or 截止时间, an event's, a call's).

    The desk's units are in one timezone: a time without an offset is the desk's, and an explicit
    offset other than the desk's is refused (a foreign offset would move the time limit silently).
    Times that come from the forge or the server (receipts, ``--received-at``) go through
    `parse_time`, which takes any offset.
    """
    moment = parse_time(value, tz, require_clock, example)
    own = moment.astimezone(tz).utcoffset()
    if moment.utcoffset() != own:
        written = str(value).strip() if not isinstance(value, dt.datetime) else moment.isoformat()
        raise TimeFormatError(
            f"“{written}”带的时区与报送台所在时区（UTC{_offset(own)}）不同：请写北京时间，不写时区或写+08:00"
        )
    return moment


def _offset(delta: dt.timedelta | None) -> str:
    minutes = int((delta or dt.timedelta(0)).total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    hours, mins = divmod(abs(minutes), 60)
    return f"{sign}{hours:02d}:{mins:02d}"


def parse_duration(value: object) -> dt.timedelta:
    """Read a limit such as 2小时, 30分钟, 1天 (also 2h, 30m)."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return dt.timedelta(minutes=value)
    m = _DURATION.match(str(value))
    if not m:
        raise TimeFormatError(f"无法识别时长“{value}”，请写成2小时、30分钟或1天")
    return dt.timedelta(seconds=float(m[1]) * _DURATION_UNITS[m[2].lower()])


def parse_term(value: object) -> tuple[int, str]:
    """Read a secrecy term (保密期限) such as 1年 or 6个月: (number, "年" | "月")."""
    m = _TERM.match(str(value))
    if not m:
        raise TimeFormatError(f"无法识别保密期限“{value}”，请写成1年或6个月")
    return int(m[1]), "年" if m[2] == "年" else "月"


def format_duration(delta: dt.timedelta) -> str:
    """A delay in plain Chinese: 3小时15分钟, 2天1小时, 40分钟."""
    minutes = int(delta.total_seconds() // 60)
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    parts = []
    if days:
        parts.append(f"{days}天")
    if hours:
        parts.append(f"{hours}小时")
    if mins or not parts:
        parts.append(f"{mins}分钟")
    return "".join(parts)


def format_time(moment: dt.datetime, tz: dt.tzinfo = BEIJING) -> str:
    """A moment as a Beijing-time string in government style: 2026年11月28日08:30."""
    local = moment.astimezone(tz)
    return f"{local.year}年{local.month}月{local.day}日{local:%H:%M}"


def now() -> dt.datetime:
    return dt.datetime.now(tz=BEIJING)
