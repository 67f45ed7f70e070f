"""How well a scan read pages whose truth is known (generated forms): the issue's targets."""

from __future__ import annotations

from collections import defaultdict

import pandas as pd

BOX_IOU = 0.5  # a box found where a box is
DIGIT_IOU = 0.3  # a digit of a string: the two ink boxes are drawn from different pixels


def iou(a, b) -> float:
    ax, ay, aw, ah = a
    bx, by, bw, bh = b
    ix = max(0.0, min(ax + aw, bx + bw) - max(ax, bx))
    iy = max(0.0, min(ay + ah, by + bh) - max(ay, by))
    inter = ix * iy
    union = aw * ah + bw * bh - inter
    return inter / union if union > 0 else 0.0


def _match(truth: pd.DataFrame, results: pd.DataFrame) -> dict[int, int]:
    """truth index -> results index, greedily by best overlap, on the same file and page."""
    pairs = []
    by_page = defaultdict(list)
    for j, r in results.iterrows():
        by_page[(r.file, int(r.page))].append((j, (r.x, r.y, r.width, r.height)))
    for i, t in truth.iterrows():
        need = DIGIT_IOU if t.kind in ("string", "underline") else BOX_IOU
        for j, rect in by_page[(t.file, int(t.page))]:
            overlap = iou((t.x, t.y, t.width, t.height), rect)
            if overlap >= need:
                pairs.append((overlap, i, j))
    matched, used = {}, set()
    for _, i, j in sorted(pairs, reverse=True):
        if i not in matched and j not in used:
            matched[i] = j
            used.add(j)
    return matched


def score(truth: pd.DataFrame, results: pd.DataFrame) -> dict[str, float]:
    """Figures for the scan targets; `truth` as samples' truth.csv, `results` as results.csv."""
    truth = truth.reset_index(drop=True)
    results = results.reset_index(drop=True)
    truth_digit = truth.digit.astype("string").fillna("")
    result_digit = results.digit.astype("string").fillna("").str.replace(r"\.0$", "", regex=True)
    matched = _match(truth, results)
    is_digit = truth_digit != ""
    correct = sum(1 for i, j in matched.items() if is_digit[i] and result_digit[j] == truth_digit[i])
    blanks_right = sum(1 for i, j in matched.items() if not is_digit[i] and result_digit[j] == "")
    read = results[result_digit != ""]
    flagged = read.needs_review.astype(str).str.lower() == "true"
    accepted_wrong = accepted = 0
    for i, j in matched.items():
        if result_digit[j] != "" and str(results.needs_review[j]).lower() != "true":
            accepted += 1
            accepted_wrong += result_digit[j] != truth_digit[i]
    unmatched_accepted = sum(
        1 for j in read.index if j not in set(matched.values()) and str(results.needs_review[j]).lower() != "true"
    )
    # a field is read exactly when its boxes all land in one result field whose value is the truth
    result_field = {j: (r.file, int(r.page), int(r.field)) for j, r in results.iterrows()}
    values = defaultdict(str)
    for j, r in results.iterrows():
        values[result_field[j]] += result_digit[j]
    exact = total_fields = 0
    for _, group in truth.groupby(["file", "page", "field"]):
        total_fields += 1
        homes = {result_field[matched[i]] for i in group.index if i in matched}
        if len(homes) == 1 and all(i in matched for i in group.index):
            exact += values[homes.pop()] == "".join(truth_digit[group.index])
    recall_by_kind = {
        f"box_recall_{kind}": sum(i in matched for i in group.index) / len(group) for kind, group in truth.groupby("kind")
    }
    return {
        **recall_by_kind,
        "box_recall": len(matched) / max(len(truth), 1),
        "box_precision": len(matched) / max(len(results), 1),
        "digit_accuracy": correct / max(int(is_digit.sum()), 1),
        "blanks_right": blanks_right / max(int((~is_digit).sum()), 1),
        "fields_exact": exact / max(total_fields, 1),
        "flagged": float(flagged.mean()) if len(read) else 0.0,
        "accepted_error": (accepted_wrong + unmatched_accepted) / max(accepted + unmatched_accepted, 1),
        "truth_boxes": int(len(truth)),
        "result_rows": int(len(results)),
    }


def score_unboxed(truth: pd.DataFrame, results: pd.DataFrame) -> dict[str, float]:
    """Pages whose boxes cannot be found (dropout ink): each written digit is found when one
    read digit's centre lies in its box, right when that digit is the truth."""
    read = results[results.digit.astype("string").fillna("") != ""]
    cx = read.x.astype(float) + read.width.astype(float) / 2
    cy = read.y.astype(float) + read.height.astype(float) / 2
    written = truth[truth.digit.astype("string").fillna("") != ""]
    found = right = 0
    for t in written.itertuples():
        inside = read[(read.file == t.file) & (read.page.astype(int) == int(t.page)) & cx.between(t.x, t.x + t.width) & cy.between(t.y, t.y + t.height)]
        found += len(inside) > 0
        right += len(inside) == 1 and str(inside.digit.iloc[0]) == str(t.digit)
    flagged = read.needs_review.astype(str).str.lower() == "true"
    return {"digits_written": int(len(written)), "found": found / max(len(written), 1), "read_right": right / max(len(written), 1),
            "flagged": float(flagged.mean()) if len(read) else 0.0}


def breakdown(truth: pd.DataFrame, results: pd.DataFrame, dpi: dict[str, int]) -> list[dict]:
    """The scan's figures by dpi (files named in `dpi`) and by field kind, one dict a part.
    Parts by kind give what the truth decides alone (recall, digits, fields exact): which
    kind a box read where no truth is would be, nobody knows."""
    parts = scored_by(truth, results, dpi_labels(dpi))
    for kind, group in truth.groupby("kind"):
        figures = score(group, results)
        parts.append({"part": kind, **{k: figures[k] for k in ("box_recall", "digit_accuracy", "fields_exact", "truth_boxes")}})
    return parts


def dpi_labels(dpi: dict[str, int]) -> dict[str, str]:
    """Each file's dpi as a part's name ("150 dpi"), lowest first."""
    return {f: f"{d} dpi" for f, d in sorted(dpi.items(), key=lambda item: item[1])}


def scored_by(truth: pd.DataFrame, results: pd.DataFrame, label: dict[str, str]) -> list[dict]:
    """The scan's figures for each group of files that `label` names alike, one dict a group
    (in the order the labels first come)."""
    truth_labels, result_labels = truth.file.map(label), results.file.map(label)
    return [{"part": name, **score(truth[truth_labels == name], results[result_labels == name])} for name in dict.fromkeys(label.values())]


def score_letters(letters: pd.DataFrame, results: pd.DataFrame) -> tuple[dict[str, float], pd.DataFrame]:
    """The boxes of letter fields (the letters family; `letters` as truth.csv, the letter in
    `digit`, blank boxes empty): a letter is passed as a digit when a read digit whose centre
    lies in its box was accepted. Returns the figures and the results without the rows in
    letter fields' boxes (to score the page's digit fields as usual)."""
    cx = results.x.astype(float) + results.width.astype(float) / 2
    cy = results.y.astype(float) + results.height.astype(float) / 2
    in_letters = pd.Series(False, index=results.index)
    passed = not_digit = 0
    written = letters.digit.astype("string").fillna("") != ""
    for t in letters.itertuples():
        inside = (results.file == t.file) & (results.page.astype(int) == int(t.page)) & cx.between(t.x, t.x + t.width) & cy.between(t.y, t.y + t.height)
        in_letters |= inside
        if pd.isna(t.digit) or t.digit == "":
            continue
        rows = results[inside]
        accepted = (rows.digit.astype("string").fillna("") != "") & (rows.needs_review.astype(str).str.lower() != "true")
        passed += bool(accepted.any())
        not_digit += bool((rows.reason.astype("string").fillna("") == "not a digit").any())
    n = max(int(written.sum()), 1)
    figures = {"letters_written": int(written.sum()), "letters_flagged": 1 - passed / n, "letters_not_a_digit": not_digit / n,
               "letters_accepted_as_digits": passed / n}
    return figures, results[~in_letters]
