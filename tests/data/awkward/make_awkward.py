"""Writes the awkward-input corpus from clean.csv: the files analysts really produce from a clean export.

clean.csv is the first 40 Cambridgeshire (force 35) collisions of DfT's 2015 national file (Open Government
Licence v3.0, see tests/data/national_2015/README.md). Each file here is clean.csv after one thing a
spreadsheet, a database export or a hurried analyst does to it; tests/python/io/test_awkward_inputs.py
states what reading each must give. Run from this folder: `python make_awkward.py` (GDAL's ogr2ogr writes
the .xlsx/.ods sheets; the .xls needs `pip install xlwt`). The outputs are committed, so the tests need neither.
"""
import csv
import gzip
import io
import shutil
import subprocess
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
NATIONAL = HERE.parent / "national_2015" / "Accidents_2015_four_forces.csv.gz"


def clean_rows() -> list[list[str]]:
    with gzip.open(NATIONAL, "rt", newline="") as f:
        rows = list(csv.reader(f))
    force = rows[0].index("Police_Force")
    return [rows[0]] + [r for r in rows[1:] if r[force] == "35"][:40]


def text(rows, delimiter=",", quoting=csv.QUOTE_MINIMAL, newline="\n") -> str:
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, quoting=quoting, lineterminator=newline).writerows(rows)
    return out.getvalue()


def column(rows, name: str) -> int:
    return rows[0].index(name)


def with_column(rows, name, change):
    i = column(rows, name)
    return [rows[0]] + [r[:i] + [change(r[i], k)] + r[i + 1:] for k, r in enumerate(rows[1:])]


def write(name: str, content) -> None:
    (HERE / name).write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))


def main() -> None:
    rows = clean_rows()
    clean = text(rows)
    write("clean.csv", clean)
    # Encodings and line ends
    write("windows_line_ends.csv", text(rows, newline="\r\n"))
    write("excel_csv_utf8_bom.csv", "\ufeff" + clean)
    write("excel_unicode_text.txt", "\ufeff".encode("utf-16-le") + text(rows, "\t", newline="\r\n").encode("utf-16-le"))
    write("utf16_big_endian.csv", b"\xfe\xff" + clean.encode("utf-16-be"))
    # Separators and quoting
    write("semicolons.csv", text(rows, ";"))
    write("tabs.tsv", text(rows, "\t"))
    write("every_field_quoted.csv", text(rows, quoting=csv.QUOTE_ALL))
    write("no_final_newline.csv", clean.rstrip("\n"))
    write("blank_lines.csv", clean.replace("\n", "\n\n", 3) + "\n\n")
    # Archives
    with gzip.GzipFile(HERE / "gzipped.csv.gz", "wb", mtime=0) as g:
        g.write(clean.encode())
    with zipfile.ZipFile(HERE / "zipped.zip", "w") as z:
        z.writestr(zipfile.ZipInfo("Accidents_2015.csv", (2015, 1, 1, 0, 0, 0)), clean)
    # Spreadsheets
    for name, driver in (("spreadsheet.xlsx", "XLSX"), ("spreadsheet.ods", "ODS")):
        (HERE / name).unlink(missing_ok=True)
        subprocess.run(["ogr2ogr", "-f", driver, str(HERE / name), str(HERE / "clean.csv"), "-nln", "Accidents"],
                       check=True)
    (HERE / "notes_first.xlsx").unlink(missing_ok=True)
    notes = HERE / "notes.csv"
    notes.write_text("note,author\nExtract for the casualty reduction group,analyst\n")
    subprocess.run(["ogr2ogr", "-f", "XLSX", str(HERE / "notes_first.xlsx"), str(notes), "-nln", "Notes"], check=True)
    subprocess.run(["ogr2ogr", "-f", "XLSX", "-update", str(HERE / "notes_first.xlsx"), str(HERE / "clean.csv"),
                    "-nln", "Accidents"], check=True)
    notes.unlink()
    import xlwt  # only to write the old-Excel fixture
    book = xlwt.Workbook()
    sheet = book.add_sheet("Accidents")
    for i, r in enumerate(rows):
        for j, v in enumerate(r):
            sheet.write(i, j, v)
    book.save(str(HERE / "old_excel.xls"))
    # Columns
    order = [0] + list(range(len(rows[0]) - 1, 0, -1))
    write("columns_reordered.csv", text([[r[i] for i in order] for r in rows]))
    write("extra_column.csv", text([rows[0] + ["Analyst_Notes"]] + [r + ["checked"] for r in rows[1:]]))
    write("lower_case_headers.csv", text([[h.lower() for h in rows[0]]] + rows[1:]))
    write("spaces_in_headers.csv", text([[" " + h + " " for h in rows[0]]] + rows[1:]))
    write("renamed_severity.csv", text([["Severity" if h == "Accident_Severity" else h for h in rows[0]]] + rows[1:]))
    date = column(rows, "Date")
    write("no_date_column.csv", text([r[:date] + r[date + 1:] for r in rows]))
    # Values as spreadsheets and locales write them
    write("iso_dates.csv", text(with_column(rows, "Date", lambda d, k: f"{d[6:]}-{d[3:5]}-{d[:2]}")))
    write("dates_with_midnight.csv", text(with_column(rows, "Date", lambda d, k: d + " 00:00")))
    write("two_digit_years.csv", text(with_column(rows, "Date", lambda d, k: d[:6] + d[8:])))
    write("month_first_dates.csv", text(with_column(rows, "Date", lambda d, k: f"{d[3:5]}/{d[:2]}/{d[6:]}")))
    labels = {"1": "Fatal", "2": "Serious", "3": "Slight"}
    write("severity_labels.csv", text(with_column(rows, "Accident_Severity", lambda v, k: labels[v])))
    write("thousands_separators.csv",
          text(with_column(rows, "Location_Easting_OSGR", lambda v, k: f"{int(v):,}" if k == 0 else v)))
    write("times_with_seconds.csv", text(with_column(rows, "Time", lambda v, k: v + ":00")))
    # Damaged files
    write("truncated.csv", clean[: clean.rindex("\n", 0, len(clean) - 1) + 20])
    write("two_exports_joined.csv", clean + text(rows))
    write("rows_repeated.csv", clean + text(rows[1:11]))
    lines = clean.split("\n")
    lines[5] = '"' + lines[5]
    write("stray_quote.csv", "\n".join(lines))
    write("empty.csv", "")
    write("header_only.csv", text(rows[:1]))
    write("web_page_saved_as.csv", "<!DOCTYPE html>\n<html><head><title>Road Safety Data</title></head></html>\n")
    # 2023-style numeric indexes that a spreadsheet shows as 2.02301E+12
    numeric = HERE.parent / "stats19" / "accidents_sample.csv"
    sample = list(csv.reader(numeric.open(newline="")))
    i = sample[0].index("accident_index")
    write("index_in_scientific_notation.csv",
          text([sample[0]] + [r[:i] + [f"{float(r[i]):.5E}"] + r[i + 1:] for r in sample[1:]]))


if __name__ == "__main__":
    main()
