"""Print workbooks to PDF with LibreOffice Calc, as File > Export as PDF does.

Run by make_xlsx_prints.py with a Python that has LibreOffice's `uno` module (Debian:
python3-uno, which libreoffice-calc pulls in; it is the system /usr/bin/python3, not the venv):

    python3 samples/calc_print.py PROFILE_URL SRC.xlsx OUT.pdf AUTOFIT [SRC OUT AUTOFIT ...]

AUTOFIT 1 sets every row to its optimal height first, as Calc does when the sheet's rows carry
no height of their own and someone clicks Format > Rows > Optimal Height; 0 prints the heights
stored in the workbook. The soffice it starts uses the throw-away profile PROFILE_URL, so a
running LibreOffice is not disturbed.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import time

import uno
from com.sun.star.beans import PropertyValue


def prop(name: str, value) -> PropertyValue:
    p = PropertyValue()
    p.Name, p.Value = name, value
    return p


def connect(pipe: str):
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext(
        "com.sun.star.bridge.UnoUrlResolver", local
    )
    for _ in range(300):
        try:
            return resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
        except Exception:  # soffice not listening yet
            time.sleep(0.1)
    sys.exit("soffice did not start")


def main(profile: str, jobs: list[tuple[str, str, bool]]) -> None:
    pipe = f"perftab-calc-print-{os.getpid()}"
    office = subprocess.Popen(
        [
            "soffice",
            f"-env:UserInstallation={profile}",
            "--headless",
            "--invisible",
            "--norestore",
            f"--accept=pipe,name={pipe};urp;",
        ]
    )
    ctx = connect(pipe)
    desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
    try:
        for src, dst, autofit in jobs:
            url = uno.systemPathToFileUrl(os.path.abspath(src))
            doc = desktop.loadComponentFromURL(url, "_blank", 0, (prop("Hidden", True),))
            if autofit:
                for sheet in doc.Sheets:
                    sheet.Rows.OptimalHeight = True
            out = uno.systemPathToFileUrl(os.path.abspath(dst))
            doc.storeToURL(out, (prop("FilterName", "calc_pdf_Export"),))
            doc.close(True)
    finally:
        with contextlib.suppress(Exception):  # the bridge drops as soffice exits
            desktop.terminate()
        office.wait(timeout=120)


if __name__ == "__main__":
    args = sys.argv[2:]
    main(sys.argv[1], [(args[i], args[i + 1], args[i + 2] == "1") for i in range(0, len(args), 3)])
