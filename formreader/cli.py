"""The `formreader` command: parse options, call the package, print, exit codes."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")  # TensorFlow's C++ start-up chatter
import click  # noqa: E402

from .errors import ExitCode, FormreaderError  # noqa: E402


class Group(click.Group):
    """Known failures become one line on stderr and their exit code, never a traceback."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except FormreaderError as exc:
            click.echo(f"formreader: {exc}", err=True)
            ctx.exit(int(exc.exit_code))
        except KeyboardInterrupt:
            click.echo("formreader: interrupted", err=True)
            ctx.exit(int(ExitCode.ctrl_c))


@click.group(cls=Group)
@click.version_option(package_name="formreader")
def cli():
    """Read handwritten digits in the boxes of scanned paper forms."""


DATA_HELP = "MNIST folder (IDX .gz files or mnist.npz); default: $FORMREADER_DATA, then Keras's cache/download"
MODEL_HELP = "model file; default: $FORMREADER_MODEL, then the shipped models/digits.keras"


@cli.command()
@click.option("--augment/--no-augment", default=True, show_default=True, help="scanner-and-pen augmentation")
@click.option("--epochs", type=click.IntRange(0),
              help="[default: 30; 2 when fine-tuning with --extra; 16 with --strings]; 0 with --strings --model: only fit its calibration again")
@click.option("--batch-size", default=128, show_default=True, type=click.IntRange(1))
@click.option("--arch", type=click.Choice(["cnn", "mlp"]), default="cnn", show_default=True)
@click.option("--seed", default=1, show_default=True, type=int)
@click.option("--data", type=click.Path(path_type=Path), help=DATA_HELP)
@click.option(
    "--out",
    type=click.Path(path_type=Path),
    default=Path("models/digits.keras"),
    show_default=True,
    help="model file; its metrics JSON, plots and model card (README.md) go beside it",
)
@click.option("--limit", type=click.IntRange(600), help="train on only the first N digits (quick tries)")
@click.option("--extra", type=click.Path(path_type=Path), help="corrections.csv from the review report: fine-tune --model on them")
@click.option("--model", type=click.Path(path_type=Path), help="with --extra, the model to start from [default: the shipped one]; with --strings, a string model to go on training")
@click.option("--extra-data", multiple=True, type=click.Path(path_type=Path),
              help="more labelled digits (.npz with images and labels, any size and polarity); repeatable")
@click.option("--held-out-data", multiple=True, type=click.Path(path_type=Path),
              help="labelled digits (.npz) never trained on, only judged on: their figures go into the model card; repeatable")
@click.option("--strings", is_flag=True, help="train the string reader (models/strings.keras) instead of the digit model")
@click.option("--ensemble", multiple=True, type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="a trained digit model (repeatable, two or more, all trained with this --seed): join them into one "
                   "that averages them, calibrated on the validation split with --extra-data's parts; no training")
def train(augment, epochs, batch_size, arch, seed, data, out, limit, extra, model, extra_data, held_out_data, strings, ensemble):
    """Train the recognizer on MNIST; writes the model, a metrics JSON and plots.

    With --extra, fine-tune an existing model on reviewed digits instead (MNIST mixed in);
    the result is saved only if MNIST test accuracy drops by at most 0.05 points."""
    from .recognizer import start_keras

    start_keras()
    from .data import load_mnist
    from .train import TrainConfig
    from .train import train as run_training

    if epochs == 0 and not (strings and model):
        raise click.BadParameter("0 only with --strings --model (calibrate a string model again)", param_hint="--epochs")
    if extra:
        return _fine_tune(extra, model, data, out, epochs, batch_size, seed, limit)
    if strings:
        return _train_strings(data, extra_data, out, epochs, seed, model)
    mnist = load_mnist(data)
    config = TrainConfig(arch=arch, augment=augment, epochs=epochs or 30, batch_size=batch_size, seed=seed, limit=limit)
    if ensemble:
        from .ensemble import train_ensemble

        metrics = train_ensemble(mnist, list(ensemble), config, out, extra=_digit_sets(extra_data), held_out=_digit_sets(held_out_data))
        click.echo(f"{out}: {len(ensemble)} models joined: accuracy {metrics['accuracy']:.4f}, distorted {metrics['distorted_accuracy']:.4f}, "
                   f"review below {metrics['review_below']:.4f}, {len(metrics['label_issues'])} label issues not counted")
        return
    metrics = run_training(mnist, config, out, extra=_digit_sets(extra_data), held_out=_digit_sets(held_out_data))
    click.echo(
        f"{out}: accuracy {metrics['accuracy']:.4f}, distorted {metrics['distorted_accuracy']:.4f}, "
        f"ECE {metrics['ece_before_calibration']:.4f} -> {metrics['ece']:.4f} (T={metrics['temperature']}), "
        f"review below {metrics['review_below']:.4f}, {metrics['epochs_run']} epochs, {metrics['total_seconds']:.0f} s"
    )


def _digit_sets(paths):
    from .data import load_digit_set

    return [load_digit_set(path) for path in paths]


def _train_strings(data, extra_data, out, epochs, seed, start_from):
    from .data import load_mnist
    from .string_train import StringTrainConfig, train_strings

    if out == Path("models/digits.keras"):
        out = Path("models/strings.keras")
    config = StringTrainConfig(epochs=StringTrainConfig.epochs if epochs is None else epochs, seed=seed, start_from=str(start_from) if start_from else None)
    metrics = train_strings(load_mnist(data), _digit_sets(extra_data), config, out)
    click.echo(
        f"{out}: validation strings exact {metrics['validation_exact']:.4f}, flagged {metrics['validation_flagged']:.2%}, "
        f"wrong among accepted {metrics['validation_accepted_wrong']:.3%} (review below {metrics['review_below']:.4f}), "
        f"{metrics['total_seconds']:.0f} s"
    )


def _fine_tune(extra, model, data, out, epochs, batch_size, seed, limit):
    from .corrections import training_examples
    from .data import load_mnist
    from .errors import ModelError
    from .recognizer import model_path
    from .train import FineTuneConfig, fine_tune

    base = model_path(model)
    x, y = training_examples(extra)
    config = FineTuneConfig(epochs=epochs or FineTuneConfig.epochs, batch_size=batch_size, seed=seed,
                            mnist_digits=limit or FineTuneConfig.mnist_digits)
    figures = fine_tune(load_mnist(data), x, y, base, out, config)
    click.echo(
        f"fine-tuned {base} on {figures['extra_digits']} reviewed digits in {figures['seconds']:.0f} s: "
        f"MNIST test accuracy {figures['accuracy_before']:.4f} -> {figures['accuracy_after']:.4f}, "
        f"reviewed digits read right {figures['extra_accuracy_before']:.2%} -> {figures['extra_accuracy_after']:.2%}, "
        f"review below {figures['review_below']:.4f}"
    )
    if not figures["saved"]:
        raise ModelError(f"MNIST test accuracy fell by more than 0.05 points; {out} was not written")
    click.echo(f"saved {out}")


@cli.command()
@click.option("--model", type=click.Path(path_type=Path), help=MODEL_HELP)
@click.option("--data", type=click.Path(path_type=Path), help=DATA_HELP)
@click.option("--json", "as_json", is_flag=True, help="end with one JSON line of all figures")
def evaluate(model, data, as_json):
    """Accuracy on the MNIST test set, per class, and on a scan-distorted copy."""
    from .data import load_mnist
    from .evaluate import evaluate as run_evaluation
    from .recognizer import Recognizer

    recognizer = Recognizer.load(model)
    figures = run_evaluation(recognizer, load_mnist(data))
    click.echo(f"model {recognizer.path}")
    click.echo(f"accuracy            {figures['accuracy']:.4f}  (MNIST test, {figures['test_images']} digits)")
    click.echo(f"distorted accuracy  {figures['distorted_accuracy']:.4f}  (same digits, scan augmentation, fixed seed)")
    click.echo(f"calibration error   {figures['ece']:.4f}  (distorted {figures['ece_distorted']:.4f})")
    click.echo(
        f"review below {figures['review_below']:.4f}: flags {figures['review']['flagged']:.2%} "
        f"(distorted {figures['review_distorted']['flagged']:.2%}), accepted wrong "
        f"{figures['review']['accepted_error']:.3%} (distorted {figures['review_distorted']['accepted_error']:.3%})"
    )
    click.echo(f"non-digits flagged  {figures['negatives_flagged']:.2%}")
    click.echo("class        precision  recall")
    for name, row in figures["per_class"].items():
        click.echo(f"{name:<12} {row['precision'] or 0:9.4f} {row['recall'] or 0:7.4f}")
    click.echo("confusion (rows true 0-9, X; columns predicted)")
    for row in figures["confusion"]:
        click.echo(" ".join(f"{v:5d}" for v in row))
    if as_json:
        click.echo(json.dumps({k: v for k, v in figures.items() if k != "misclassified"}))


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--model", type=click.Path(path_type=Path), help=MODEL_HELP)
@click.option("--out", type=click.Path(path_type=Path), help="CSV to write; default: print to stdout")
@click.option("--fields", is_flag=True, help="each image holds a digit string (read by the string model; --model names one)")
def predict(paths, model, out, fields):
    """Classify images that each hold one digit, or with --fields one digit string (files or folders)."""
    from .predict import predict_files

    failed = predict_files(paths, out, model, fields)
    if failed:
        sys.exit(int(ExitCode.input_file))


@cli.command()
@click.argument("inputs", nargs=-1, required=True)
@click.option("--out", type=click.Path(path_type=Path), default=Path("results.csv"), show_default=True, help="one row per box")
@click.option("--fields-out", type=click.Path(path_type=Path), help="one row per field [default: fields.csv beside --out]")
@click.option("--errors-out", type=click.Path(path_type=Path), help="files and pages that failed [default: errors.csv beside --out]")
@click.option("--report", type=click.Path(path_type=Path), help="review report of flagged digits [default: report.html beside --out]")
@click.option("--no-report", is_flag=True, help="write no review report (nor its folder of flagged digits)")
@click.option("--model", type=click.Path(path_type=Path), help=MODEL_HELP)
@click.option("--review-below", type=click.FloatRange(0, 1), help="flag digits less confident than this [default: the model's]")
@click.option("--batch-size", default=1024, show_default=True, type=click.IntRange(1), help="digits per model call")
@click.option("--workers", default=os.cpu_count() or 1, show_default=True, type=click.IntRange(1), help="processes reading pages")
@click.option("--resume", is_flag=True, help="skip files already in --out; keep their rows")
@click.option("--dask", metavar="ADDRESS", help="run on a Dask cluster (tcp://host:8786), or 'local' for a LocalCluster of --workers processes")
@click.option("--quiet", is_flag=True, help="no progress bar")
def scan(inputs, out, fields_out, errors_out, report, no_report, model, review_below, batch_size, workers, resume, dask, quiet):
    """Find the digit boxes on scanned pages (files, folders, globs) and read them."""
    from .scan import scan_command

    report = None if no_report else report or out.with_name("report.html")
    code = scan_command(inputs, out, fields_out or out.with_name("fields.csv"), errors_out or out.with_name("errors.csv"),
                        report, model, review_below, batch_size, workers, resume, quiet, dask)
    sys.exit(int(code))


@cli.command()
@click.argument("results", type=click.Path(path_type=Path))
@click.argument("corrections", type=click.Path(path_type=Path))
@click.option("--out", type=click.Path(path_type=Path), required=True, help="the results with the corrections applied")
@click.option("--fields", "fields_in", type=click.Path(path_type=Path), help="the scan's fields [default: fields.csv beside RESULTS]")
@click.option("--fields-out", type=click.Path(path_type=Path), help="fields with refreshed values [default: OUT's name + _fields.csv]")
def apply(results, corrections, out, fields_in, fields_out):
    """Apply the review report's corrections.csv to a scan's results."""
    from .corrections import apply_corrections

    fields_out = fields_out or out.with_name(out.stem + "_fields.csv")
    counts = apply_corrections(results, corrections, out, fields_in or results.with_name("fields.csv"), fields_out)
    click.echo(
        f"{counts['confirmed']} confirmed, {counts['corrected']} corrected, {counts['illegible']} illegible -> {out}, {fields_out}",
        err=True,
    )
    if counts["unmatched"]:
        click.echo(f"formreader: {corrections}: {counts['unmatched']} corrections name no box in {results}", err=True)
        sys.exit(int(ExitCode.input_file))


@cli.command()
@click.argument("out", type=click.Path(path_type=Path))
@click.option("--data", type=click.Path(path_type=Path), help=DATA_HELP)
@click.option("--seed", default=0, show_default=True, type=int)
def samples(out, data, seed):
    """Write generated sample inputs (from MNIST test digits) into OUT/digits and OUT/forms."""
    from .data import load_mnist
    from .samples import write_digit_samples, write_form_samples

    mnist = load_mnist(data)
    for folder, write in (("digits", write_digit_samples), ("forms", write_form_samples)):
        written = write(mnist, out / folder, seed)
        click.echo(f"{len(written)} files in {out / folder}")


def main():
    cli(prog_name="formreader")


if __name__ == "__main__":
    main()
