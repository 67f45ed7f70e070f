"""The model card: a README.md beside the model, written from its metrics JSON."""

from __future__ import annotations

import datetime
import os
import platform
from pathlib import Path


def _pct(value: float) -> str:
    return f"{value * 100:.2f}%"


def render_card(metrics: dict, when: datetime.date | None = None) -> str:
    when = when or datetime.date.today()
    m, cfg = metrics, metrics["config"]
    stem = Path(m["model"]).stem
    rows = "\n".join(
        f"| {name} | {row['precision'] or 0:.4f} | {row['recall'] or 0:.4f} | {row['support']} |"
        for name, row in m["per_class"].items()
    )
    sums = "\n".join(f"- `{name}` sha1 `{sha}`" for name, sha in m["data"]["sha1"].items())
    for name, got in m["data"].get("extra", {}).items():
        sums += f"\n- `{name}`: {got['digits']:,} more training digits (`--extra-data`), sha1 `{got['sha1']}`"
    for name, got in m["data"].get("held_out", {}).items():
        sums += f"\n- `{name}`: {got['digits']:,} digits never trained on, only judged on (`--held-out-data`), sha1 `{got['sha1']}`"
    by_source = "\n".join(
        f"| {name} | {kind} | {row['digits']:,} | {_pct(row['accuracy'])} | {_pct(row['flagged'])} | {_pct(row['accepted_error'])} |"
        for kind, group in (("validation part, trained on the rest", m.get("sources", {})), ("**held out: never trained on**", m.get("held_out", {})))
        for name, row in group.items()
    )
    return f"""# {m['model']}: the formreader digit recognizer

{f"An ensemble of {len(m['members'])} Keras 3 networks" if m.get('members') else f"A Keras 3 {cfg['arch'].upper()}"} ({m['parameters']:,} weights) that reads one handwritten digit in a
28x28 MNIST-style image and says which of 0-9 it is, or that it is **not a digit**
(an eleventh class trained on generated letters, ticks, crosses, scribbles, smudges,
dashes and box-border fragments). Its last layer turns logits into calibrated
probabilities (temperature scaling) and carries the review threshold.

Trained {when.isoformat()} on {platform.machine()} with {os.cpu_count()} CPU cores, Keras backend `{m['backend']}`.

## How it was made
```
{chr(10).join([member['command'] for member in m.get('members', [])] + [m['command']])}
```
{_making(m)}
- {m['validation_images']:,} validation images{_issues(m)}
- time: {m['train_seconds'] / 60:.1f} min training, {m['total_seconds'] / 60:.1f} min in all (calibration, evaluation, plots)
- data: `{m['data']['source']}`
{sums}

## Figures (MNIST test set, 10,000 digits)
| figure | value |
| --- | --- |
| accuracy (all 11 classes: a digit read as "not a digit" counts as wrong) | **{_pct(m['accuracy'])}** |
| accuracy of the most likely digit | {_pct(m['digit_accuracy'])} |
| accuracy on a scan-distorted copy (augmentation, fixed seed) | {_pct(m['distorted_accuracy'])} |
| expected calibration error, before -> after temperature scaling | {m['ece_before_calibration']:.4f} -> {m['ece']:.4f} (T = {m['temperature']}) |
| the same on the validation split used to fit T | {m['ece_validation_before']:.4f} -> {m['ece_validation_after']:.4f} |
| expected calibration error, distorted copy | {m['ece_distorted']:.4f} |
| review threshold (accepted digits wrong at most 1 in 1000 on validation) | {m['review_below']:.4f} |
| flagged for review / accepted but wrong, clean test | {_pct(m['review']['flagged'])} / {_pct(m['review']['accepted_error'])} |
| flagged for review / accepted but wrong, distorted test | {_pct(m['review_distorted']['flagged'])} / {_pct(m['review_distorted']['accepted_error'])} |
| generated non-digits flagged (1,000, unseen seed) | {_pct(m['negatives_flagged'])} |
| handwritten-style letters flagged (1,000, unseen seed) | {_pct(m.get('pen_letters_flagged', float('nan')))} |

## By source (at the review threshold above)
The threshold is the strictest that any one source's validation part needs, so that accepted
digits are wrong at most 1 in 1000 on the worst source, not on average. The held-out sets say
what a user's own handwriting may expect.

| source | part | digits | accuracy | flagged | accepted but wrong |
| --- | --- | --- | --- | --- | --- |
{by_source}

| class | precision | recall | support |
| --- | --- | --- | --- |
{rows}

(precision and recall over the MNIST test digits together with 1,000 generated non-digits)

## Plots
{'' if m.get('members') else f'- [{stem}.curves.png]({stem}.curves.png): loss and accuracy per epoch' + chr(10)}- [{stem}.confusion.png]({stem}.confusion.png): confusion matrix
- [{stem}.errors.png]({stem}.errors.png): misclassified test digits
- [{stem}.features.png]({stem}.features.png): first convolution layer's feature maps

All figures are in [{stem}.metrics.json]({stem}.metrics.json).

On a CPU the scan runs `{stem}.tflite`, this model exported to LiteRT with 8-bit weights: its
probabilities lie within 0.03 of this model's, its figures within a few tenths of a percent of
these (the project README, "Inference engine").
"""


def _making(m: dict) -> str:
    """How the weights came to be: trained, or joined from trained members (ensemble.py)."""
    cfg = m["config"]
    if m.get("members"):
        listed = "\n".join(f"  - `{member['file']}` (sha1 `{member['sha1']}`; MNIST test {_pct(member['accuracy'] or 0)})" for member in m["members"])
        return (f"- an ensemble: the {len(m['members'])} models made by the commands above (the first ones), each trained with seed "
                f"{cfg['seed']}, their logits each over its own temperature averaged, then calibrated again on the validation split:\n{listed}")
    return (f"- seed {cfg['seed']}; {cfg['epochs']} epochs at most, batch {cfg['batch_size']}, Adam with warm-up and cosine decay from {cfg['learning_rate']};\n"
            f"  early stopping on validation accuracy (patience {cfg['patience']}, watched over the last third) restored the best epoch: {m['best_epoch']} of {m['epochs_run']} run\n"
            f"- scanner-and-pen augmentation: {'on' if cfg['augment'] else 'off'} (formreader/augment.py)\n"
            f"- {m['train_images']:,} training images (MNIST's and any extra set's training digits less a validation split, plus generated non-digits)")


def _issues(m: dict) -> str:
    found = m.get("label_issues", [])
    if not found:
        return ""
    listed = ", ".join(f"{issue['source']}'s {issue['label']}" for issue in found)
    return (f"; {len(found)} of them not counted for the review threshold, as every member reads them "
            f"surely as one other digit (likely mislabelled: {listed})")


def write_card(model_path: Path, metrics: dict) -> Path:
    card = model_path.parent / "README.md"
    card.write_text(render_card(metrics))
    return card


def render_string_card(metrics: dict, when: datetime.date | None = None) -> str:
    """The string reader's card, from its metrics JSON."""
    when = when or datetime.date.today()
    m, cfg = metrics, metrics["config"]
    stem = Path(m["model"]).stem
    return f"""# {m['model']}: the formreader string reader

A Keras 3 CNN ({m['parameters']:,} weights) that reads a digit string (a number written in one
box, on an underline, on a cheque) without cutting it into digits first: the string's ink,
scaled to 20 of 28 rows like MNIST's digits, fills a 28x224 strip; every 4 columns the network
says which digit, which "not a digit" mark, or nothing it sees there, and CTC decoding turns
the columns into the string. The probability of the decoded string over all alignments,
temperature-scaled, is its confidence; the last layer carries the review threshold.

Trained {when.isoformat()} on {platform.machine()} with {os.cpu_count()} CPU cores, Keras backend `{m['backend']}`.

## How it was made
```
{chr(10).join([s['command'] for s in m.get('started_from', [])] + [m['command']])}
```
{_earlier_steps(m)}{_string_step(m)}
- time: {m['train_seconds'] / 60:.1f} min training, {m['total_seconds'] / 60:.1f} min in all{chr(10) + '- note: ' + m['note'] if m.get('note') else ''}

## Figures
On {cfg['val_strings']:,} strings made the same way from MNIST *test* digits (never trained on),
each read as the scan reads it (the strip as written and narrower, wider and slanted, the
string's probability averaged over these views):

| figure | value |
| --- | --- |
| strings read exactly | {_pct(m['validation_exact'])} |
| temperature | {m['temperature']} |
| review threshold (string confidence; accepted strings wrong at most {_pct(cfg['max_accepted_error'])} here) | {m['review_below']:.4f} |
| flagged / wrong among accepted | {_pct(m['validation_flagged'])} / {_pct(m['validation_accepted_wrong'])} |

These strings are made harder than most real ones on purpose (overlaps, marks, noise), and
they are not real handwriting: the figures on real handwriting (NIST form pages, real cheque
amounts, `bench/bench_strings.py`) are in the project's README.

On a CPU the scan runs `{stem}.tflite`, this model exported to LiteRT with 8-bit weights: its
probabilities lie within 0.03 of this model's, its figures within a few tenths of a percent of
these (the project README, "Inference engine").
"""


def _string_step(m: dict) -> str:
    cfg = m["config"]
    if not cfg["epochs"]:
        return ("- no training in this step: the model as the step before left it, its temperature and review\n"
                "  threshold fitted again on the strings below, read as the scan now reads them")
    return f"""- {cfg['epochs']} epochs of {cfg['steps']} batches of {cfg['batch_size']} strings, each made afresh
  (formreader/string_synth.py) from {m['training_digits']:,} training digits (MNIST's training set
  and the --extra-data sets): 1-10 digits with varied spacing, touching and overlapping digits,
  slant, size, the writer's digit width, stroke width, continental 1s and 7s, dots, commas and
  dashes, dates parted by dashes, remnants of box lines and underlines, lines over and
  under the amount, strokes reaching in from outside, printed background patterns, blur and noise;
  now and then a printed or handwritten letter, labelled "not a digit"
- Adam with warm-up and cosine decay from {cfg['learning_rate'] / (2 if cfg.get('start_from') else 1)}, CTC loss"""


def _earlier_steps(m: dict) -> str:
    steps = m.get("started_from", [])
    if not steps:
        return ""
    told = "; then ".join(f"{s.get('epochs', '?')} epochs ({(s.get('train_seconds') or 0) / 60:.0f} min)" for s in steps)
    return f"- the commands in turn, each going on from the model the one before made: {told}; then this step:\n"


def write_string_card(model_path: Path, metrics: dict) -> Path:
    card = model_path.with_suffix(".md")
    card.write_text(render_string_card(metrics))
    return card
