"""The desk's folders, named once (every module takes the names from here)."""

SUBMISSIONS = "submissions"  # submissions/<unit>/<year>/<mmdd>-<nn>.md: the units' items
ISSUES = "issues"  # issues/<publication>/<year>/<nnn>.md: the publications' issues
EVENTS = "events"  # events/<year>/<id>.md: emergencies the office learned of
CALLS = "calls"  # calls/<year>/<id>.md: calls for information (约稿)
RECORDS = "records"  # records/<year>/<name>.md: 批示 and 上级采用
COPIES = RECORDS + "/copies"  # records/copies/<year>/<publication>-<nnn>.md: who got which numbered copy (份号)
