"""The soak's bookkeeping (bench/soak.py): links through every authority and page, windows, and the
two verdicts (0 failures; memory flat after warm-up). The soak itself is run by hand (make soak)."""

from __future__ import annotations

import sys

import pytest

from tests.packs import ROOT

sys.path.insert(0, str(ROOT / "bench"))
import soak  # noqa: E402 (a bench script, importable once bench/ is on the path)
from wsclient import RerunFailed, Run  # noqa: E402

MB = 10**6


def test_links_visit_every_authority_and_every_page():
    authorities = [f"E0{i:07d}" for i in range(318)]
    links = soak.Links(authorities, ["a", "b"], seed=1)
    first = [links.next() for _ in range(318)]
    seen = {q.split("&")[0].removeprefix("authority=") for _, q in first}
    assert seen == set(authorities)  # one round: each authority exactly once
    assert {p for p, _ in first} == set(soak.PAGES)
    assert all(q.split("&")[1] in ("indicator=a", "indicator=b") for _, q in first)


def _log(peaks: list[int], failures: int = 0) -> soak.Log:
    log = soak.Log()
    for k, peak in enumerate(peaks):  # one window of 300 s each: two samples, runs inside
        log.rss += [(k * 300 + 30, peak - 5 * MB), (k * 300 + 270, peak)]
        log.runs += [(k * 300 + t, 0.1 * (t % 7 + 1), t % 3 == 0) for t in range(0, 300, 10)]
    log.failures = [(15.0, "reader 0: TimeoutError")] * failures
    return log


def test_windows_count_runs_failures_and_peak_memory_and_late_runs_in_the_last():
    log = _log([500 * MB, 600 * MB, 620 * MB], failures=2)
    log.runs.append((905.0, 4.0, False))  # under way at the deadline: counted in the last window
    ws = soak.windows(log, 900, 300)
    assert [(w.start, w.end) for w in ws] == [(0, 300), (300, 600), (600, 900)]
    assert [len(w.runs) for w in ws] == [30, 30, 31] and [w.failures for w in ws] == [2, 0, 0]
    assert [w.peak_rss for w in ws] == [500 * MB, 600 * MB, 620 * MB]
    assert ws[0].per_minute == pytest.approx(6.0)


@pytest.mark.parametrize(
    "peaks,flat",
    [([500, 600, 600, 659], "yes"), ([500, 600, 640, 661], "NO"), ([900, 600, 550, 500], "yes")],
)
def test_memory_is_flat_when_the_last_window_peaks_within_ten_percent_of_the_second(peaks, flat):
    log = _log([p * MB for p in peaks])
    lines = soak.verdicts(log, soak.windows(log, 300 * len(peaks), 300))
    assert lines[0].startswith("- **Failures: 0** — met")
    assert lines[1].startswith(f"- **Memory flat after warm-up: {flat}**")


def test_failures_and_a_run_too_short_to_judge_are_said_so():
    log = _log([500 * MB], failures=3)
    lines = soak.verdicts(log, soak.windows(log, 300, 300))
    assert lines[0].startswith("- **Failures: 3** — NOT met")
    assert "not judged" in lines[1]


def test_an_error_box_fails_a_run_that_finished():
    soak._check(Run(0.1, 3, 100))
    with pytest.raises(RerunFailed, match="could not be drawn"):
        soak._check(Run(0.1, 3, 100, errors=["Sorry, this page could not be drawn because something went wrong."]))
