"""The model file's 8-bit tables (format 3: `modelfile.quantize_codebook`)."""
from __future__ import annotations

import numpy as np
from plandiff.ingest.diacritics import load_model
from plandiff.ingest.diacritics.modelfile import CODEBOOK_SIZE, FORMAT, dequantize_codebook, quantize_codebook


def test_codebook_round_trip_is_close_and_keeps_nan():
    rng = np.random.default_rng(7)
    x = np.concatenate([-rng.gamma(2.0, 2.0, 50_000), [np.nan] * 10, [0.0] * 1000])
    codes, table = quantize_codebook(x)
    assert codes.dtype == np.uint8 and table.dtype == np.float32 and len(table) == CODEBOOK_SIZE
    back = dequantize_codebook(codes, table)
    assert np.isnan(back[np.isnan(x)]).all()
    finite = ~np.isnan(x)
    assert not np.isnan(back[finite]).any()
    # bins of equal size: the error is small where values are dense
    err = np.abs(back[finite] - x[finite])
    assert np.median(err) < 0.01 and np.quantile(err, 0.99) < 0.5
    assert np.array_equal(quantize_codebook(x)[0], codes)     # deterministic


def test_codebook_of_few_distinct_values_is_exact():
    x = np.array([-1.0, -2.0, -2.0, np.nan, -3.5] * 10)
    codes, table = quantize_codebook(x)
    back = dequantize_codebook(codes, table)
    assert np.allclose(back[~np.isnan(x)], x[~np.isnan(x)]) and np.isnan(back[3])


def test_shipped_model_is_format_3():
    model = load_model()
    assert FORMAT == "plandiff-diacritics/3"
    assert model.lm.trigram_logprob.dtype == np.float32 and model.lm.bigram_backoff.dtype == np.float32
