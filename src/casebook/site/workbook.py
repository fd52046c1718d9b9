"""The self-assessment workbook (XLSX): the checklist in the shape of the AI事業者ガイドライン worksheet.

Sheets: 使い方, チェックリスト (one row per check item, input columns, 実施状況 dropdown, frozen header,
filters, A4 landscape with the header repeated), リスク別集計 (COUNTIFS formulas, so it stays right while
the bank fills the checklist in), 条項と確認項目, 法令・指針 (with links), 外部の枠組みとの対応 (one row per item of
every listed framework edition, with a status column flagging the gaps). Same records, same bytes.
"""

from __future__ import annotations

import datetime as dt
import io
import re

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from ..model import Corpus
from .adoption import article_numbers, check_rows, clause_label, messages, normalise_zip
from .crosswalk_sheet import crosswalk_table

HEADER_FILL = PatternFill("solid", fgColor="DDE4EE")
INPUT_FILL = PatternFill("solid", fgColor="FFF8DC")
WRAP = Alignment(wrap_text=True, vertical="top")
BOLD = Font(bold=True)
_SAFE_URL = re.compile(r"^https?://[^\s<>\"'`]+$", re.IGNORECASE)

# Checklist columns: (message key, width, input column?)
CHECKLIST_COLUMNS = [
    ("item_id", 22, False), ("where", 18, False), ("category", 24, False), ("important", 60, False),
    ("risks", 24, False), ("evidence", 40, False),
    ("scope", 24, True), ("others", 18, True), ("tick", 5, True), ("approach", 30, True),
    ("last_review", 12, True),
    ("owner", 14, True), ("status", 11, True), ("evidence_location", 24, True), ("checked_on", 12, True),
    ("risk_lookup", 10, False),
]


def column_index(key: str) -> int:
    """1-based column of a checklist column (the tests and the summary formulas use it)."""
    return [k for k, _, _ in CHECKLIST_COLUMNS].index(key) + 1


def _put(ws: Worksheet, row: int, col: int, value: object) -> None:
    cell = ws.cell(row=row, column=col, value=value)
    if isinstance(value, str) and value.startswith("="):
        cell.data_type = "s"  # record text is data, never a formula
    cell.alignment = WRAP


def _header(ws: Worksheet, labels: list[str], widths: list[int]) -> None:
    for col, (label, width) in enumerate(zip(labels, widths, strict=True), 1):
        cell = ws.cell(row=1, column=col, value=label)
        cell.font, cell.fill, cell.alignment = BOLD, HEADER_FILL, WRAP
        ws.column_dimensions[get_column_letter(col)].width = width
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(labels))}{max(ws.max_row, 2)}"
    ws.print_title_rows = "1:1"
    _print_a4(ws, "landscape")


def _print_a4(ws: Worksheet, orientation: str) -> None:
    """Printed on A4, every column on the page (as many pages down as needed)."""
    ws.page_setup.orientation = orientation
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True


def workbook(corpus: Corpus) -> bytes:
    msg = messages()
    cols, sheets = msg["columns"], msg["sheets"]
    pub = corpus.publication
    rows = check_rows(corpus)
    numbers = article_numbers(corpus.policy)
    wb = Workbook()

    # -- 使い方 --------------------------------------------------------------------------------
    how = wb.active
    how.title = sheets["howto"]
    how.column_dimensions["A"].width = 14
    how.column_dimensions["B"].width = 100
    _print_a4(how, "portrait")  # LibreOffice cut the sheet into strips at the page edge without it
    how["A1"] = msg["howto"]["title"]
    how["A1"].font = Font(bold=True, size=14)
    how["A2"] = pub.title.ja
    how["A3"] = msg["howto"]["edition"].format(edition=pub.edition, date=pub.date)
    r = 5
    for n, line in enumerate(msg["howto"]["lines"], 1):
        how.cell(row=r, column=1, value=n)
        _put(how, r, 2, line)
        r += 1
    r += 1
    how.cell(row=r, column=1, value=msg["howto"]["roles_heading"]).font = BOLD
    r += 1
    for role in msg["roles"]:
        how.cell(row=r, column=1, value=role).font = BOLD
        how.cell(row=r, column=2).fill = INPUT_FILL
        r += 1

    # -- チェックリスト --------------------------------------------------------------------------------
    ws = wb.create_sheet(sheets["checklist"])
    n_rows = len(rows)
    last = n_rows + 1
    for i, row in enumerate(rows, 2):
        values = {
            "item_id": row.item.id,
            "where": "\n".join(clause_label(c, numbers) for c in row.clauses),
            "category": f"{row.mitigation.name.ja}（{row.kind}・{row.type}）",
            "important": row.item.ja,
            "risks": "\n".join(r.name.ja for r in row.risks),
            "evidence": "\n".join(row.evidence),
            "risk_lookup": "|" + "|".join(r.id for r in row.risks) + "|",
        }
        for col, (key, _, is_input) in enumerate(CHECKLIST_COLUMNS, 1):
            if key in values:
                _put(ws, i, col, values[key])
            elif is_input:
                ws.cell(row=i, column=col).fill = INPUT_FILL
    _header(ws, [cols[k] for k, _, _ in CHECKLIST_COLUMNS], [w for _, w, _ in CHECKLIST_COLUMNS])
    ws.column_dimensions[get_column_letter(column_index("risk_lookup"))].hidden = True
    status_col = get_column_letter(column_index("status"))
    tick_col = get_column_letter(column_index("tick"))
    for letter, values in ((status_col, msg["statuses"]), (tick_col, msg["tick_values"])):
        dv = DataValidation(type="list", formula1='"' + ",".join(values) + '"', allow_blank=True,
                            showErrorMessage=True)
        dv.add(f"{letter}2:{letter}{max(last, 2)}")
        ws.add_data_validation(dv)
    for letter in (get_column_letter(column_index("last_review")), get_column_letter(column_index("checked_on"))):
        for cell in ws[f"{letter}2:{letter}{max(last, 2)}"]:
            cell[0].number_format = "yyyy-mm-dd"

    # -- リスク別集計 ------------------------------------------------------------------------------
    sm = wb.create_sheet(sheets["summary"])
    s = msg["summary"]
    labels = [s["risk_id"], s["risk"], s["total"], *msg["statuses"], s["unfilled"], s["done_ratio"]]
    lookup = f"{sheets['checklist']}!${get_column_letter(column_index('risk_lookup'))}$2:" \
             f"${get_column_letter(column_index('risk_lookup'))}${max(last, 2)}"
    status = f"{sheets['checklist']}!${status_col}$2:${status_col}${max(last, 2)}"
    served = [risk for risk in corpus.risks.values() if any(risk in row.risks for row in rows)]
    for i, risk in enumerate(served, 2):
        sm.cell(row=i, column=1, value=risk.id)
        _put(sm, i, 2, risk.name.ja)
        match = f'"*|"&$A{i}&"|*"'
        sm.cell(row=i, column=3, value=f"=COUNTIFS({lookup},{match})")
        for j, value in enumerate(msg["statuses"], 4):
            sm.cell(row=i, column=j, value=f'=COUNTIFS({lookup},{match},{status},"{value}")')
        first, end = get_column_letter(4), get_column_letter(3 + len(msg["statuses"]))
        sm.cell(row=i, column=4 + len(msg["statuses"]), value=f"=C{i}-SUM({first}{i}:{end}{i})")
        ratio = sm.cell(row=i, column=5 + len(msg["statuses"]), value=f"=IF(C{i}=0,0,D{i}/C{i})")
        ratio.number_format = "0%"
    _header(sm, labels, [18, 34, 8, *([9] * len(msg["statuses"])), 8, 12])

    # -- 条項と確認項目 ----------------------------------------------------------------------------
    cl = wb.create_sheet(sheets["clauses"])
    c = msg["clauses"]
    r = 2
    for clause in corpus.policy.clauses if corpus.policy else []:
        for row in rows:
            if clause in row.clauses:
                for col, value in enumerate((f"第{numbers[clause.id]}条", clause.id, clause.title.ja,
                                             row.item.id, row.item.ja), 1):
                    _put(cl, r, col, value)
                r += 1
    _header(cl, [c["article"], c["clause_id"], c["title"], cols["item_id"], cols["item"]], [8, 10, 30, 22, 70])

    # -- 法令・指針 -----------------------------------------------------------------------------
    pv = wb.create_sheet(sheets["provisions"])
    p = msg["provisions"]
    for r, prov in enumerate(corpus.provisions.values(), 2):
        for col, value in enumerate((prov.id, prov.instrument.label, prov.article, prov.title.ja,
                                     p["verified_yes"] if prov.verified else p["verified_no"]), 1):
            _put(pv, r, col, value)
        url = prov.url or prov.instrument.url
        if url and _SAFE_URL.match(url):
            link = pv.cell(row=r, column=6, value=url)
            link.hyperlink = url
            link.font = Font(color="0563C1", underline="single")
    _header(pv, [p["id"], p["instrument"], p["article"], p["title"], p["verified"], p["link"]],
            [20, 30, 14, 40, 14, 50])

    # -- 外部の枠組みとの対応 -----------------------------------------------------------------------
    xw = wb.create_sheet(sheets["crosswalk"])
    labels, widths, table = crosswalk_table(corpus)
    for r, values in enumerate(table, 2):
        for col, value in enumerate(values, 1):
            _put(xw, r, col, value)
    _header(xw, labels, widths)

    when = dt.datetime.fromisoformat(str(pub.date))
    wb.properties.created = wb.properties.modified = when
    wb.properties.title = msg["howto"]["title"]
    wb.properties.creator = wb.properties.lastModifiedBy = None
    buf = io.BytesIO()
    wb.save(buf)
    return normalise_zip(buf.getvalue(), str(pub.date))
