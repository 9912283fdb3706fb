"""The privacy audit's report in three formats: text for a terminal, JSON for tools, Markdown for
a review or an auditor's file. All three say the same things in the same order."""

import json
from collections.abc import Callable
from typing import Any

from api.audit.analysis import FINDING_EXPLANATIONS, AuditReport

ENTRY_MEANING = {
    "bound": "through a SELF edge bound to the viewer",
    "guarded": "through a nullable ID lookup of a sealed type (every field SELF-checked)",
}

LOOKUP_MEANING = "profile lookups: accounts matched on their public profile, named by review"


def _summary(report: AuditReport) -> str:
    counts = ", ".join(f"{audience} {count}" for audience, count in report.audience_counts.items())
    return f"{len(report.fields)} ({counts})"


def as_data(report: AuditReport, *, source: str) -> dict[str, Any]:
    return {
        "schema": source,
        "clean": report.clean,
        "fieldCount": len(report.fields),
        "audienceCounts": report.audience_counts,
        "personalDataTypes": report.personal_data_types,
        "plumbingTypes": report.plumbing_types,
        "pathsChecked": report.paths_checked,
        "entries": [
            {"how": entry.how, "field": entry.where, "target": entry.target, "path": entry.path_text}
            for entry in report.entries
        ],
        "profileLookups": [{"field": entry.where, "path": entry.path_text} for entry in report.profile_lookups],
        "fields": [
            {"field": f.where, "audience": f.audience, "returns": f.returns, "personalData": f.personal_data}
            for f in report.fields
        ],
        "findings": [
            {
                "kind": finding.kind.value,
                "where": finding.where,
                "detail": finding.detail,
                "path": finding.path_text or None,
                "explanation": FINDING_EXPLANATIONS[finding.kind],
            }
            for finding in report.findings
        ],
    }


def render_json(report: AuditReport, *, source: str) -> str:
    return json.dumps(as_data(report, source=source), indent=2, ensure_ascii=False) + "\n"


def render_text(report: AuditReport, *, source: str) -> str:
    lines = [
        f"Privacy audit of {source}",
        f"Fields: {_summary(report)}",
        f"Personal-data types (@personalData): {', '.join(report.personal_data_types) or 'none'}",
        f"Paths checked from the roots: {report.paths_checked}",
        "",
        "Ways into personal data:",
    ]
    width = max((len(entry.how) for entry in report.entries), default=0)
    lines += [f"  {entry.how:<{width}}  {entry.path_text}" for entry in report.entries] or ["  none"]
    lines += ["", f"Lists of people by the viewer's own query ({LOOKUP_MEANING}):"]
    lines += [f"  {entry.path_text}" for entry in report.profile_lookups] or ["  none"]
    lines += ["", "Fields and audiences (* = field of a personal-data type):"]
    name_width = max((len(f.where) for f in report.fields), default=0) + 2
    for f in report.fields:
        marker = "*" if f.personal_data else " "
        lines.append(f" {marker}{f.where:<{name_width}}{f.audience or '(none)':<16}{f.returns}")
    lines.append("")
    if report.clean:
        lines.append("Findings: none. The schema passes every rule.")
    else:
        lines.append(f"Findings: {len(report.findings)}")
        for finding in report.findings:
            lines.append(f"  {finding.kind.value}  {finding.where}: {finding.detail}")
            lines.append(f"      {FINDING_EXPLANATIONS[finding.kind]}")
            if finding.path:
                lines.append(f"      {finding.path_text}")
    return "\n".join(lines) + "\n"


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def render_markdown(report: AuditReport, *, source: str) -> str:
    lines = [
        f"# Privacy audit of `{source}`",
        "",
        f"- **Result:** {'clean' if report.clean else f'{len(report.findings)} finding(s)'}",
        f"- **Fields:** {_summary(report)}",
        f"- **Personal-data types:** {', '.join(f'`{name}`' for name in report.personal_data_types) or 'none'}",
        f"- **Paths checked from the roots:** {report.paths_checked}",
        "",
        "## Ways into personal data",
        "",
        "| how | path | meaning |",
        "|---|---|---|",
    ]
    lines += [f"| {entry.how} | `{entry.path_text}` | {ENTRY_MEANING[entry.how]} |" for entry in report.entries]
    lines += [
        "",
        "## Lists of people by the viewer's own query",
        "",
        f"{LOOKUP_MEANING[0].upper()}{LOOKUP_MEANING[1:]}.",
        "",
    ]
    lines += [f"- `{entry.path_text}`" for entry in report.profile_lookups] or ["None."]
    lines += ["", "## Findings", ""]
    if report.clean:
        lines.append("None: the schema passes every rule.")
    else:
        lines += ["| kind | where | detail | path |", "|---|---|---|---|"]
        lines += [
            f"| {finding.kind.value} | `{finding.where}` | {_cell(finding.detail)} | "
            f"{f'`{finding.path_text}`' if finding.path else ''} |"
            for finding in report.findings
        ]
    lines += ["", "## Fields and audiences", "", "| field | audience | returns | personal data |", "|---|---|---|---|"]
    lines += [
        f"| `{f.where}` | {f.audience or '(none)'} | `{_cell(f.returns)}` | {'yes' if f.personal_data else ''} |"
        for f in report.fields
    ]
    return "\n".join(lines) + "\n"


RENDERERS: dict[str, Callable[..., str]] = {"text": render_text, "json": render_json, "markdown": render_markdown}
