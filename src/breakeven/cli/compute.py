"""Command-line front end of the cost physics: ``infer``, ``train``, ``gpus``, ``models``.

:func:`register` adds the commands to a Typer app. Every command takes ``--json`` (one JSON
document on stdout: an object for estimates, a list of objects with ``name`` for catalogs).
User errors print one line, ``breakeven: <message>``, on stderr and exit with status 2.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, NoReturn

import typer

from ..errors import CatalogError, UncertainError
from ..format import compact, number
from .common import PRECISIONS, check_lang, console, dump_json, safe
from .common import TRAINING_MODES as MODES

if TYPE_CHECKING:
    import numpy as np

LANG_HELP = "en or zh for the table (default: from the locale); --json stays as it is."


def _fail(message: str) -> NoReturn:
    typer.echo(f"breakeven: {message}", err=True)
    raise typer.Exit(code=2)


def _guard(fn: Callable[[], Any]) -> Any:
    try:
        return fn()
    except CatalogError as exc:
        _fail(exc.message)
    except UncertainError as exc:
        got = f" (got {exc.got!r})" if exc.got is not None else ""
        _fail(f"{exc.message}{got}")


def _number(text: str | None, what: str) -> float | None:
    if text is None:
        return None
    from ..models.distributions import check_magnitude, parse_number

    try:
        value = parse_number(text)
        check_magnitude(value, text)  # 1e308 tokens, 1e-320 of anything: a slip, as in a plan
        return value
    except UncertainError as exc:
        _fail(f"{what}: {exc.message} (got {text!r})")


def _emit_json(obj: Any) -> None:
    typer.echo(dump_json(obj, indent=None))


def _report(
    run: Callable[[], dict],
    samples: int,
    seed: int,
    as_json: bool,
    title: Callable[[dict], str],
    lang: str = "en",
) -> None:
    """Run an estimate (user errors → one line, exit 2), stamp samples and seed, print it."""
    out = _guard(run)
    out["samples"], out["seed"] = samples, seed
    if as_json:
        _emit_json(out)
    else:
        _print_mapping(title(out), out, lang)


def _lang(lang: str | None) -> str:
    from ..report.i18n import resolve

    try:
        return resolve(check_lang(lang))
    except Exception as exc:  # UserError: one line, exit 2, like every option here
        _fail(str(exc))


def _uncertain(text: str, option: str, domain: Any) -> Any:
    """An option's number or 'a to b' as a distribution; a bad one is one line naming it."""
    from ..models.distributions import parse_uncertain

    try:
        return parse_uncertain(text, domain)
    except UncertainError as exc:
        _fail(f"{option}: {exc.message} (got {text!r})")


def _gpu_hour_price(text: str | None, gpu, samples: int, seed: int) -> Any:
    """USD per GPU-hour: the catalog's latest rental, a number, or 'a to b' sampled."""
    import numpy as np

    from ..compute.hardware import default_gpu_hour_price
    from ..models.distributions import Domain

    if text is None:
        return default_gpu_hour_price(gpu)
    if "%" in text:  # a share of something: not a price
        _fail(f"--gpu-hour-price is USD per GPU-hour, not a percentage (got {text!r})")
    d = _uncertain(text, "--gpu-hour-price", Domain.POSITIVE)
    return d.median if samples == 1 else d.ppf(np.random.default_rng([seed, 1]).random(samples))


_SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")
MAX_BATCH = 1_000_000  # sequences a step: beyond any engine's batch (TensorRT-LLM's is 8,192)
MAX_FACTOR_SAMPLES = 1_000_000  # samples of the efficiency factors: a median needs far fewer
MAX_GPUS = 10_000_000  # GPUs in one replica or run: beyond the largest cluster built (~10^5-10^6)
MAX_SEQ_LEN = 100_000_000  # training sequence length: far beyond any model's context (10M)
MIN_TRAIN_TOKENS, MAX_TRAIN_TOKENS = 1e3, 1e16  # a few batches to 300× the largest runs (~3e13)


def _fmt(x: Any, lang: str = "en") -> str:
    if x is None:
        return "—"
    if isinstance(x, float) and not math.isfinite(x):
        return "∞" if x > 0 else "-∞" if x < 0 else "—"
    if isinstance(x, bool) and lang == "zh":
        from ..report.i18n import t

        return t("yes" if x else "no", lang)
    if isinstance(x, dict) and "p50" in x:
        lo, mid, hi = x["p10"], x["p50"], x["p90"]
        if math.isclose(lo, hi, rel_tol=1e-9):
            return _fmt(mid, lang)
        if lang == "zh":
            return f"{_fmt(mid, lang)}（{_fmt(lo, lang)} – {_fmt(hi, lang)}）"
        return f"{_fmt(mid)} ({_fmt(lo)} – {_fmt(hi)})"
    if isinstance(x, float) and lang == "zh" and 1e4 <= abs(x) < 1e15:
        return compact(x, lang)  # 万 and 亿, as Chinese writes amounts
    if isinstance(x, float):
        if abs(x) >= 1e15:  # FLOP counts: 6.83×10²⁴, not thousands of trillions
            mant, exp = f"{x:.3e}".split("e")
            return f"{float(mant):g}×10{str(int(exp)).translate(_SUPERSCRIPT)}"
        return number(x, 4, lang)
    return str(x)


def _print_mapping(title: str, data: dict[str, Any], lang: str = "en") -> None:
    from rich.cells import cell_len
    from rich.table import Table

    from ..report.i18n import STRINGS, compute_label, t, unit_label

    units: dict[str, Any] = data.get("units") or {}
    tb = Table(title=safe(title), show_header=True, header_style="bold")
    # whole names: in English they are the JSON keys
    names = [compute_label(k, lang) for k in data]
    width = max((cell_len(k) for k in names), default=8)
    tb.add_column(t("cq.col.quantity", lang), no_wrap=True, min_width=min(width, 38))
    tb.add_column(t("cq.col.unit", lang), overflow="fold")
    tb.add_column(t("cq.col.value", lang), justify="right")
    sep = "; "
    notes: list[str] = []  # in Chinese: below the table, one line each

    def rows(group: str | None, items: dict[str, Any], unit_of: dict[str, Any]) -> None:
        for k, v in items.items():
            if k == "units":
                continue
            if isinstance(v, dict) and "p50" not in v:  # a group (the fleet): its own rows
                rows(k, v, unit_of.get(k) or {})
                continue
            if k == "notes" and isinstance(v, list) and lang == "zh":
                from ..report.sentences import compute_note  # the notes in Chinese

                notes.extend(compute_note(str(n), lang) for n in v)
                continue
            if k == "model" and v == "custom" and lang == "zh":
                v = t("ct.custom", lang)
            if k == "mode" and lang == "zh" and f"ct.mode.{v}" in STRINGS:
                v = t(f"ct.mode.{v}", lang)
            if isinstance(v, list):
                v = sep.join(map(str, v))
            unit = unit_of.get(k)
            name = compute_label(k, lang)
            if group is not None:
                name = t("cq.group", lang, group=compute_label(group, lang), name=name)
            tb.add_row(
                safe(name),
                safe(unit_label(unit, lang) if isinstance(unit, str) else ""),
                safe(_fmt(v, lang)),
            )

    rows(None, data, units)
    con = console()
    con.print(tb)
    for note in notes:
        con.print(t("cq.note", lang, note=safe(note)), highlight=False)


def _print_rows(
    table: str, rows: list[dict[str, Any]], columns: list[str], lang: str = "en"
) -> None:
    """A catalog as a table: ``table`` names its title and headers (``cat.<table>.<column>``).
    Cells wrap rather than being cut short, so a narrow terminal loses no name or date."""
    from rich.table import Table

    from .labels import catalog_text

    title = catalog_text(f"{table}.title", lang)
    tb = Table(title=safe(title), show_header=True, header_style="bold")
    for k in columns:
        tb.add_column(catalog_text(f"{table}.{k}", lang), overflow="fold")
    for r in rows:
        tb.add_row(*[safe(_fmt(r.get(k), lang)) for k in columns])
    console().print(tb)


def _factors(
    sampler: Callable[..., dict], samples: int, seed: int, overrides: dict[str, Any]
) -> dict[str, np.ndarray]:
    import numpy as np

    if samples < 1:
        _fail(f"--samples must be >= 1 (got {samples})")
    if samples == 1:
        return sampler(1, None, None, overrides)
    return sampler(samples, np.random.default_rng(seed), None, overrides)


def register(app: typer.Typer) -> None:
    """Add the compute commands (infer, train, gpus, models) to ``app``; ``prices`` is in
    :mod:`.prices`."""

    @app.command("infer")
    def infer(
        model: str = typer.Option(..., "--model", help="catalog model name (see `models`)"),
        gpu: str = typer.Option(..., "--gpu", help="catalog GPU name (see `gpus`)"),
        gpus: int | None = typer.Option(
            None,
            "--gpus",
            min=1,
            max=MAX_GPUS,
            help="GPUs in one replica (default 1; with --gpus-per-node: --nodes × it)",
        ),
        nodes: int = typer.Option(1, "--nodes", min=1, help="nodes in one replica"),
        gpus_per_node: int | None = typer.Option(
            None, "--gpus-per-node", min=1, help="GPUs per node (default: --gpus)"
        ),
        layout: str = typer.Option(
            "tp",
            "--layout",
            help="tp (tensor parallel), pp (TP in a node, pipeline across "
            "nodes) or ep (expert parallel, data-parallel attention)",
        ),
        precision: str = typer.Option("bf16", "--precision", help="|".join(PRECISIONS)),
        kv_precision: str | None = typer.Option(
            None,
            "--kv-precision",
            help="KV cache precision (default: the activations', bf16; fp16 for fp16 weights)",
        ),
        input_tokens: str = typer.Option(
            "1000", "--input-tokens", help="prompt tokens per request"
        ),
        output_tokens: str = typer.Option(
            "300", "--output-tokens", help="generated tokens per request"
        ),
        cache_hit_share: float = typer.Option(
            0.0, "--cache-hit-share", help="share of input tokens found in the prefix cache [0, 1)"
        ),
        draft_tokens: int = typer.Option(
            0, "--draft-tokens", min=0, help="speculative / MTP draft tokens per step"
        ),
        acceptance: float | None = typer.Option(
            None,
            "--acceptance",
            help="probability each draft token is accepted [0, 1] (with --draft-tokens)",
        ),
        draft_cost: float | None = typer.Option(
            None,
            "--draft-cost",
            help="cost of a draft token over a decode step (default: MTP, 1 / layers)",
        ),
        disaggregated: bool = typer.Option(
            False, "--disaggregated", help="prefill on its own instance (prefill/decode split)"
        ),
        prefill_nodes: int | None = typer.Option(
            None, "--prefill-nodes", min=1, help="nodes of the prefill instance (default: --nodes)"
        ),
        batch: int | None = typer.Option(
            None, "--batch", min=1, max=MAX_BATCH, help="fixed batch (default: search)"
        ),
        ttft_ms: float | None = typer.Option(None, "--ttft-ms", help="time-to-first-token target"),
        tpot_ms: float | None = typer.Option(
            None, "--tpot-ms", help="time-per-output-token target"
        ),
        max_batch_cap: int | None = typer.Option(
            None,
            "--max-batch-cap",
            min=1,
            max=MAX_BATCH,
            help="serving engine's batch limit (per GPU under ep; default 1024)",
        ),
        attention_kernel: str = typer.Option(
            "grouped",
            "--attention-kernel",
            help="decode attention reads each KV head once for its query heads (grouped: "
            "FlashDecoding, vLLM, TensorRT-LLM XQA) or once per query head (per_head: "
            "TensorRT-LLM before v0.8)",
        ),
        gpu_hour_price: str | None = typer.Option(
            None,
            "--gpu-hour-price",
            help="USD per GPU-hour, number or 'a to b' (default: latest catalog rental)",
        ),
        requests_per_s: str | None = typer.Option(
            None,
            "--requests-per-s",
            help="average request rate to size the fleet for (default: what one replica serves)",
        ),
        peak_to_average: float | None = typer.Option(
            None,
            "--peak-to-average",
            help="peak traffic over average traffic (with --requests-per-s; default 2)",
        ),
        utilisation: float | None = typer.Option(
            None,
            "--utilisation",
            help="target utilisation of peak capacity (0-1] (with --requests-per-s; default 0.7)",
        ),
        samples: int = typer.Option(
            2000,
            "--samples",
            min=1,
            max=MAX_FACTOR_SAMPLES,
            help="Monte Carlo samples of efficiency factors",
        ),
        seed: int = typer.Option(0, "--seed", min=0),
        as_json: bool = typer.Option(False, "--json", help="print one JSON object"),
        lang: str | None = typer.Option(None, "--lang", help=LANG_HELP),
    ) -> None:
        """Serving throughput, latency and cost of a model on GPUs (roofline estimate)."""
        from ..compute.catalog import constant, percentiles
        from ..compute.hardware import get_gpu
        from ..compute.inference import (
            ATTENTION_KERNELS,
            Speculation,
            estimate_inference,
            fleet_per_day,
            sample_inference_factors,
        )
        from ..compute.parallel import LAYOUTS
        from ..report.i18n import t

        lg = _lang(lang)

        def run():
            if precision.lower() not in PRECISIONS:
                _fail(f"--precision must be one of {', '.join(PRECISIONS)} (got {precision!r})")
            if kv_precision is not None and kv_precision.lower() not in PRECISIONS:
                _fail(
                    f"--kv-precision must be one of {', '.join(PRECISIONS)} (got {kv_precision!r})"
                )
            if layout.lower() not in LAYOUTS:
                _fail(f"--layout must be one of {', '.join(LAYOUTS)} (got {layout!r})")
            if nodes > 1 and gpus_per_node is None and gpus is None:
                _fail("--nodes needs --gpus-per-node (GPUs in each node)")
            if gpus is not None and gpus_per_node is not None and gpus != nodes * gpus_per_node:
                _fail(
                    f"--gpus {gpus} disagrees with --nodes {nodes} × --gpus-per-node "
                    f"{gpus_per_node} = {nodes * gpus_per_node}; give one of them"
                )
            if nodes > 1 and gpus_per_node is None and gpus is not None:
                _fail("--nodes needs --gpus-per-node (GPUs in each node), not --gpus")
            i = _number(input_tokens, "--input-tokens")
            o = _number(output_tokens, "--output-tokens")
            if i is None or o is None or i < 1 or o < 1 or i != int(i) or o != int(o):
                _fail(
                    f"--input-tokens and --output-tokens must be whole numbers >= 1 "
                    f"(got {input_tokens}, {output_tokens})"
                )
            if not 0 <= cache_hit_share < 1:
                _fail(f"--cache-hit-share must be in [0, 1) (got {cache_hit_share})")
            if acceptance is not None and not 0 <= acceptance <= 1:
                _fail(f"--acceptance must be in [0, 1] (got {acceptance})")
            for flag, given in (("--acceptance", acceptance), ("--draft-cost", draft_cost)):
                if given is not None and not draft_tokens:  # it would change nothing
                    _fail(f"{flag} needs --draft-tokens (how many tokens are drafted a step)")
            if draft_tokens and acceptance is None:  # no default: it decides the speed-up
                _fail(
                    "--draft-tokens needs --acceptance, the probability each draft token is "
                    "accepted (DeepSeek-V3 reports 0.85-0.90 for its one MTP token, "
                    "arXiv:2412.19437 section 5.4.3)"
                )
            cap = 1024 if max_batch_cap is None else max_batch_cap
            if batch is not None and max_batch_cap is not None and batch > max_batch_cap:
                _fail(f"--batch {batch} is above --max-batch-cap {max_batch_cap}")
            if prefill_nodes is not None and not disaggregated:
                _fail("--prefill-nodes needs --disaggregated")
            for option, value, ok, want in (
                ("--ttft-ms", ttft_ms, lambda v: v > 0, "above 0"),
                ("--tpot-ms", tpot_ms, lambda v: v > 0, "above 0"),
                ("--peak-to-average", peak_to_average, lambda v: v >= 1, "at least 1"),
                ("--utilisation", utilisation, lambda v: 0 < v <= 1, "in (0, 1]"),
            ):  # checked whether or not they are used: a typo is never silently kept
                if value is not None and not (math.isfinite(value) and ok(value)):
                    _fail(f"{option} must be a finite number {want} (got {value:g})")
            for flag, given in (
                ("--peak-to-average", peak_to_average),
                ("--utilisation", utilisation),
            ):
                if given is not None and requests_per_s is None:  # it would change nothing
                    _fail(
                        f"{flag} needs --requests-per-s (without it the fleet is one replica "
                        "at full load)"
                    )
            if attention_kernel not in ATTENTION_KERNELS:
                _fail(
                    f"--attention-kernel must be one of {', '.join(ATTENTION_KERNELS)} "
                    f"(got {attention_kernel!r})"
                )
            g = get_gpu(gpu)
            f = _factors(sample_inference_factors, samples, seed, {})
            price = _gpu_hour_price(gpu_hour_price, g, samples, seed)
            notes = []
            t_ttft, t_tpot = ttft_ms, tpot_ms
            if ttft_ms is None and tpot_ms is None and batch is None:
                t_ttft, t_tpot = (
                    float(constant("default_ttft_ms")),
                    float(constant("default_tpot_ms")),
                )
                notes.append(
                    f"no latency target given: sized for an interactive {t_ttft:g} ms to the "
                    f"first token and {t_tpot:g} ms per output token (--ttft-ms, --tpot-ms)"
                )
            est = estimate_inference(
                model,
                g,
                n_gpus=1 if gpus is None else gpus,
                nodes=nodes,
                gpus_per_node=gpus_per_node,
                layout=layout.lower(),
                precision=precision,
                kv_precision=kv_precision,
                input_tokens=int(i),
                output_tokens=int(o),
                cache_hit_share=cache_hit_share,
                speculation=Speculation(draft_tokens, acceptance or 0.0, draft_cost),  # checked
                disaggregated=disaggregated,
                prefill_nodes=prefill_nodes,
                batch=batch,
                ttft_ms=t_ttft,
                tpot_ms=t_tpot,
                max_batch_cap=cap,
                gpu_hour_price=price,
                attention_kernel=attention_kernel,
                **f,
            )
            est.notes[:0] = notes
            if batch is not None and not est.fits.any():
                _fail(
                    f"--batch {batch} does not fit in memory: the KV cache holds at most "
                    f"{int(est.max_batch.max()):,} sequences of {int(i) + int(o):,} tokens on "
                    f"{est.layout} {est.gpu}"
                )
            out = est.summary()
            rate: Any
            if requests_per_s is not None:
                rate = _number(requests_per_s, "--requests-per-s")
                p2a = 2.0 if peak_to_average is None else peak_to_average
                util = 0.7 if utilisation is None else utilisation
                if rate is None or rate < 0 or not 0 < util <= 1 or p2a < 1:
                    _fail(
                        "--requests-per-s must be >= 0, --utilisation in (0, 1] and "
                        "--peak-to-average >= 1"
                    )
            else:  # one replica (decode instance) at full load, with what it needs to be fed
                rate, p2a, util = est.requests_per_s, 1.0, 1.0
            fleet = fleet_per_day(est, rate, p2a, util)
            out["fleet"] = {
                "requests_per_s_average": percentiles(rate) if requests_per_s is None else rate,
                "peak_to_average": p2a,
                "target_utilisation": util,
                **{k: percentiles(v) for k, v in fleet.items()},
            }
            out["units"]["fleet"] = {
                "requests_per_s_average": "requests/s",
                "peak_to_average": "peak requests/s over average",
                "target_utilisation": "fraction of peak capacity",
                "prefill_nodes": "nodes",
                "decode_nodes": "nodes",
                "nodes": "nodes",
                "gpus": "GPUs",
                "cost_usd_per_day": "USD/day",
            }
            if requests_per_s is not None:  # the names this command has always printed
                out["gpus_needed_at_peak"] = percentiles(fleet["gpus"])
                out["gpu_cost_per_month"] = percentiles(fleet["cost_usd_per_day"] * 365 / 12)
                out["units"]["gpus_needed_at_peak"] = "GPUs"
                out["units"]["gpu_cost_per_month"] = "USD/month"
            return out

        _report(
            run,
            samples,
            seed,
            as_json,
            lambda o: t(
                "ci.title",
                lg,
                model=o["model"],
                layout=o["layout"],
                gpu=o["gpu"],
                precision=o["precision"],
                kv=o["kv_precision"],
                i=o["input_tokens"],
                o=o["output_tokens"],
            ),
            lg,
        )

    @app.command("train")
    def train(
        model: str | None = typer.Option(None, "--model", help="catalog model name"),
        params: str | None = typer.Option(None, "--params", help="parameters, e.g. 70B or 7e9"),
        active_params: str | None = typer.Option(
            None, "--active-params", help="active parameters (MoE)"
        ),
        tokens: str | None = typer.Option(
            None, "--tokens", help="training tokens, e.g. 15T (default: 20 per parameter)"
        ),
        gpu: str = typer.Option(..., "--gpu", help="catalog GPU name"),
        gpus: int = typer.Option(
            8, "--gpus", min=1, max=MAX_GPUS, help="GPUs in the run (for wall-clock days)"
        ),
        precision: str = typer.Option(
            "bf16", "--precision", help="bf16|fp16|fp8 (fp16 has the bf16 tensor peak)"
        ),
        mode: str = typer.Option("pretrain", "--mode", help="|".join(MODES)),
        seq_len: int | None = typer.Option(
            None,
            "--seq-len",
            min=1,
            max=MAX_SEQ_LEN,
            help="training sequence length for the attention FLOPs "
            "(default 4096 with --model; with --params counted only when given)",
        ),
        layers: int | None = typer.Option(
            None, "--layers", help="layers (with --params and --seq-len; default: from params)"
        ),
        d_model: int | None = typer.Option(
            None,
            "--d-model",
            help="model width (with --params and --seq-len; default: from params)",
        ),
        mfu: str | None = typer.Option(
            None, "--mfu", help="model FLOPs utilisation, e.g. 0.4 or '35% to 50%'"
        ),
        gpu_hour_price: str | None = typer.Option(
            None, "--gpu-hour-price", help="USD per GPU-hour (default: latest catalog rental)"
        ),
        samples: int = typer.Option(2000, "--samples", min=1, max=MAX_FACTOR_SAMPLES),
        seed: int = typer.Option(0, "--seed", min=0),
        as_json: bool = typer.Option(False, "--json", help="print one JSON object"),
        lang: str | None = typer.Option(None, "--lang", help=LANG_HELP),
    ) -> None:
        """GPU-hours, days and cost of pre-training or fine-tuning a model."""
        from ..compute.hardware import get_gpu
        from ..compute.training import estimate_training, is_moe, sample_training_factors
        from ..models.distributions import Domain
        from ..report.i18n import STRINGS, t

        lg = _lang(lang)

        def run():
            if (model is None) == (params is None):
                _fail("give exactly one of --model or --params")
            if mode not in MODES:
                _fail(f"--mode must be one of {', '.join(MODES)} (got {mode!r})")
            if precision.lower() not in ("bf16", "fp16", "fp8"):
                _fail(f"--precision must be bf16, fp16 or fp8 (got {precision!r})")
            if gpus < 1:
                _fail(f"--gpus must be a whole number >= 1 (got {gpus})")
            if model is not None:  # the model's own numbers: the shape options would be ignored
                for flag, v in (
                    ("--active-params", active_params),
                    ("--layers", layers),
                    ("--d-model", d_model),
                ):
                    if v is not None:
                        _fail(f"{flag} is taken from --model {model}; give it only with --params")
            if seq_len is not None and seq_len < 1:
                _fail(f"--seq-len must be a whole number >= 1 (got {seq_len})")
            if (layers is not None or d_model is not None) and seq_len is None:
                _fail("--layers and --d-model shape the attention FLOPs: give --seq-len with them")
            n_tokens = _number(tokens, "--tokens")
            if n_tokens is not None and not MIN_TRAIN_TOKENS <= n_tokens <= MAX_TRAIN_TOKENS:
                _fail(f"--tokens must be 1e3 to 1e16 training tokens (got {tokens})")
            p = _number(params, "--params")
            a = _number(active_params, "--active-params")
            overrides = {}
            if mfu is not None:
                d = _uncertain(mfu, "--mfu", Domain.FRACTION)
                if not d.median > 0:  # a point 0: a run that never ends
                    _fail(f"--mfu must be above 0 (got {mfu!r})")
                overrides["training_mfu"] = d
            moe = _guard(lambda: is_moe(model, p, a))
            f = _factors(
                lambda n, rng, u, o: sample_training_factors(n, rng, u, o, moe=moe),
                samples,
                seed,
                overrides,
            )
            g = get_gpu(gpu)
            price = _gpu_hour_price(gpu_hour_price, g, samples, seed)
            est = estimate_training(
                g,
                n_tokens,
                model=model,
                params=p,
                active_params=a,
                layers=layers,
                d_model=d_model,
                gpus=gpus,
                precision=precision.lower(),
                mode=mode,
                seq_len=seq_len if seq_len is not None else (4096 if model is not None else None),
                gpu_hour_price=price,
                **f,
            )
            return est.summary()

        def title(o: dict) -> str:
            mode = o["mode"]
            if lg == "zh" and f"ct.mode.{mode}" in STRINGS:
                mode = t(f"ct.mode.{mode}", lg)
            model = o["model"]
            if lg == "zh" and model == "custom":
                model = t("ct.custom", lg)
            return t("ct.title", lg, model=model, mode=mode, gpus=o["gpus"], gpu=o["gpu"])

        _report(run, samples, seed, as_json, title, lg)

    @app.command("gpus")
    def gpus_cmd(
        as_json: bool = typer.Option(False, "--json", help="print a JSON list"),
        lang: str | None = typer.Option(None, "--lang", help=LANG_HELP),
    ) -> None:
        """The GPU catalog: memory, bandwidth, dense TFLOPS, power, prices (with sources)."""
        from ..compute.hardware import list_gpus
        from ..format import resolve

        lg = resolve(check_lang(lang))
        rows = _guard(lambda: [g.to_row() for g in list_gpus()])
        if as_json:
            _emit_json(rows)
            return
        for r in rows:
            r["bf16"] = r["tflops_dense"].get("bf16")
            r["fp8"] = r["tflops_dense"].get("fp8")
        _print_rows(
            "gpus",
            rows,
            [
                "name",
                "memory_gb",
                "memory_bandwidth_tb_s",
                "bf16",
                "fp8",
                "tdp_watts",
                "interconnect_gb_s",
                "scale_out_gb_s",
                "latest_rental_usd_per_hour",
                "purchase_price_usd",
            ],
            lg,
        )

    @app.command("models")
    def models_cmd(
        as_json: bool = typer.Option(False, "--json", help="print a JSON list"),
        lang: str | None = typer.Option(None, "--lang", help=LANG_HELP),
    ) -> None:
        """The model catalog: parameters, attention layout, experts, context."""
        from ..compute.models import list_models
        from ..format import resolve

        lg = resolve(check_lang(lang))
        rows = _guard(lambda: [m.to_row() for m in list_models()])
        if as_json:
            _emit_json(rows)
            return
        _print_rows(
            "models",
            rows,
            [
                "name",
                "params",
                "active_params",
                "layers",
                "attention",
                "kv_heads",
                "experts",
                "experts_per_token",
                "max_context",
            ],
            lg,
        )


__all__ = ["register"]
