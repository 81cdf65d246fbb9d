import pytest
from conftest import seed

from plandiff.cli import main


def test_bad_usage_exits_2(tmp_path, capsys):
    assert main(["run", str(tmp_path / "missing.txt"), "--out", str(tmp_path / "o")]) == 2
    assert "input not found" in capsys.readouterr().err
    assert main(["run", str(seed("001")), "--threshold", "7", "--out", str(tmp_path / "o")]) == 2


@pytest.mark.slow
def test_a_broken_file_fails_alone_and_exits_1(tmp_path, capsys):
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.7 this is not a PDF")
    out = tmp_path / "out"
    code = main(["run", str(seed("001")), str(seed("003")), str(broken), "--out", str(out),
                 "--no-restore", "--workers", "1"])
    assert code == 1
    import pandas as pd

    docs = pd.read_parquet(out / "documents")
    failed = docs[docs.status == "failed"]
    assert list(failed.source_path) == [str(broken)]
    assert "PDF" in failed.error.iloc[0]
    assert (docs[docs.role == "plan"].status == "ok").sum() == 2
    printed = capsys.readouterr().out
    assert "FAILED" in printed and "001_34a554ab57f69638.txt" in printed


@pytest.mark.slow
def test_explicit_reference_and_json_summary(tmp_path, capsys):
    import json

    code = main(["run", str(seed("002")), "--reference", str(seed("001")), "--out",
                 str(tmp_path / "o"), "--json", "--no-restore"])
    assert code == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["reference"]["inferred"] is False
    (plan,) = summary["plans"]
    assert plan["carried"] + plan["modified"] > 30


@pytest.mark.slow
def test_links_out_of_the_input_folder_are_not_followed_unless_asked(tmp_path):
    import pandas as pd

    inputs, outside = tmp_path / "inputs", tmp_path / "outside"
    inputs.mkdir(), outside.mkdir()
    (outside / "secret.txt").write_text(seed("003").read_text(encoding="utf-8"), encoding="utf-8")
    (inputs / "plan.txt").write_text(seed("001").read_text(encoding="utf-8"), encoding="utf-8")
    (inputs / "link.txt").symlink_to(outside / "secret.txt")
    assert main(["run", str(inputs), "--out", str(tmp_path / "a"), "--no-restore"]) == 1
    docs = pd.read_parquet(tmp_path / "a" / "documents")
    refused = docs[docs.source_path.str.endswith("link.txt")]
    assert refused.status.tolist() == ["failed"]
    assert "not followed" in refused.error.iloc[0] and refused.error_vi.iloc[0]
    assert main(["run", str(inputs), "--out", str(tmp_path / "b"), "--no-restore",
                 "--follow-links"]) == 0


@pytest.mark.slow
def test_failures_are_explained_in_english_and_vietnamese(tmp_path):
    import pandas as pd

    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    assert main(["run", str(seed("001")), str(empty), "--out", str(tmp_path / "o"),
                 "--no-restore"]) == 1
    docs = pd.read_parquet(tmp_path / "o" / "documents")
    row = docs[docs.status == "failed"].iloc[0]
    assert (row.error, row.error_vi) == ("file is empty", "Tệp rỗng, không có nội dung")


def test_compare_prints_verdicts_with_their_evidence(capsys):
    assert main(["compare", str(seed("001")), str(seed("003")), "--no-restore"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("reference: Truyền thông về cải cách hành chính và chuyển đổi số xã Ngọk Tụ")
    assert "== DROPPED" in out and "== ADDED" in out
    verdicts, flagged = out.split("\n")[3].split("  (needs review: ")
    counts = dict(part.split(": ") for part in verdicts.split("  "))
    assert set(counts) == {"carried", "modified", "dropped", "added"}
    assert int(counts["dropped"]) > int(counts["carried"])  # 003 is a reform-only plan
    # The verdicts plandiff is least sure of come first, least sure first, each with its confidence.
    sections = out.split("\n== ")
    assert sections[1].startswith(f"NEEDS REVIEW ({int(flagged.rstrip(')'))}, least sure first)")
    sure = [float(line.rsplit(" ", 1)[1]) for line in sections[1].split("\n") if line.startswith("- ")]
    assert len(sure) == int(flagged.rstrip(")")) > 0 and sure == sorted(sure)
    later = [float(line.rsplit(" ", 1)[1]) for s in sections[2:] for line in s.split("\n") if line.startswith("- ")]
    assert min(later) >= max(sure)   # as printed, to two decimals
    # Dropped rows show the nearest plan item, for a reviewer to check a rewording.
    dropped = out.split("== DROPPED")[1].split("== ADDED")[0]
    assert "closest plan item: " in dropped and "(score 0." in dropped


def test_restore_writes_restored_text(tmp_path, capsys):
    damaged = tmp_path / "ocr.txt"
    damaged.write_text("Truyén thong vé cai cach hanh chinh va chuyén doi so nam 2025\n"
                       "Kế hoạch số 82/KH-UBND ngày 17/4/2025\n", encoding="utf-8")
    assert main(["restore", str(damaged)]) == 0
    out = capsys.readouterr().out.split("\n")
    assert out[0] == "Truyền thông về cải cách hành chính và chuyển đổi số năm 2025"
    assert out[1] == "Kế hoạch số 82/KH-UBND ngày 17/4/2025"  # good text is left alone


def test_options_without_a_command_mean_run(monkeypatch, tmp_path):
    import plandiff.cli as cli

    seen = []
    monkeypatch.setattr(cli, "_cmd_run", lambda args: seen.append((args.command, args.out)) or 0)
    assert main(["--out", str(tmp_path / "o")]) == 0
    assert seen == [("run", str(tmp_path / "o"))]


def _documented_words() -> str:
    from conftest import REPO

    return (REPO / "README.md").read_text(encoding="utf-8")


def test_every_command_option_and_input_suffix_is_in_the_readme():
    import argparse

    from plandiff.ingest import SUPPORTED_SUFFIXES

    from plandiff.cli import build_parser

    readme = _documented_words()
    parser = build_parser()
    (commands,) = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    missing = []
    for name, sub in commands.choices.items():
        if f"plandiff {name}" not in readme:
            missing.append(f"command {name}")
        for action in sub._actions:
            if action.help == argparse.SUPPRESS:
                continue
            missing += [f"{name} {opt}" for opt in action.option_strings
                        if opt.startswith("--") and opt != "--help" and opt not in readme]
    missing += [f"suffix {s}" for s in SUPPORTED_SUFFIXES if f"`{s}`" not in readme]
    assert not missing, "undocumented in README.md: " + ", ".join(missing)
