"""RunConfig: validation names the field; the URL round-trips and never raises."""
import dataclasses

import pytest

from lib.engine.settings import DEFAULTS, SETTINGS, RunConfig, from_query, to_query


def test_defaults_are_valid():
    assert RunConfig().validate() == DEFAULTS


@pytest.mark.parametrize("changes, field", [
    ({"optimizer": "adamax"}, "optimizer"),
    ({"dataset": "mnist"}, "dataset"),
    ({"schedule": "cyclic"}, "schedule"),
    ({"batch_size": 0}, "batch_size"),
    ({"batch_size": -4}, "batch_size"),
    ({"lr": 0.0}, "lr"),
    ({"lr": -0.1}, "lr"),
    ({"batch_size": 1000}, "batch_size"),  # above the 280-point training set
    ({"depth": "2"}, "depth"),
])
def test_bad_settings_raise_naming_the_field(changes, field):
    with pytest.raises(ValueError, match=field):
        RunConfig(**changes).validate()


def test_unknown_name_lists_allowed_values():
    with pytest.raises(ValueError, match="moons, circles"):
        RunConfig(dataset="mnist").validate()


def test_batch_above_training_set_says_the_limit():
    cfg = RunConfig(batch_size=1000)
    with pytest.raises(ValueError, match=str(cfg.n_train)):
        cfg.validate()


def test_url_round_trip_of_every_setting():
    changed = RunConfig(dataset="spiral", noise=0.35, n_samples=600, depth=3, width=32,
                        activation="relu", batch_norm=True, loss="mse", optimizer="rmsprop",
                        lr=0.0123, alpha=0.9, schedule="warmup_cosine", warmup=50, batch_size=7,
                        shuffle=False, seed=42, hessian_every=0, eps=1e-6)
    query = to_query(changed)
    assert set(query) == {f.name for f in dataclasses.fields(changed)
                          if getattr(changed, f.name) != getattr(DEFAULTS, f.name)}
    parsed, notes = from_query(query)
    assert parsed == changed and notes == []


def test_default_config_gives_an_empty_query():
    assert to_query(DEFAULTS) == {}


def test_bad_url_values_are_dropped_or_clamped_with_notes():
    query = {"lr": "abc", "depth": "99", "optimizer": "adamax", "batch_size": "-3",
             "shuffle": "maybe", "noise": "nan", "zzz": "1", "width": "8"}
    cfg, notes = from_query(query)
    kinds = {key: kind for kind, key, raw, detail in notes}
    assert cfg.lr == DEFAULTS.lr and kinds["lr"] == "type"
    assert cfg.depth == SETTINGS["depth"].metadata["hi"] and kinds["depth"] == "clamped"
    assert cfg.optimizer == DEFAULTS.optimizer and kinds["optimizer"] == "choice"
    assert cfg.batch_size == 1 and kinds["batch_size"] == "clamped"
    assert cfg.shuffle == DEFAULTS.shuffle and kinds["shuffle"] == "type"
    assert kinds["noise"] == "type"
    assert cfg.width == 8
    assert "zzz" not in kinds  # non-settings keys are left to the UI
    cfg.validate()


def test_batch_size_clamped_to_training_set():
    cfg, notes = from_query({"batch_size": "2000", "n_samples": "100"})
    assert cfg.batch_size == cfg.n_train
    assert ("clamped", "batch_size", "2000", cfg.n_train) in notes


def test_fit_batch_is_the_one_rule_for_batch_sizes():
    from lib.engine.settings import fit_batch
    c = RunConfig(n_samples=100, test_fraction=0.3, batch_size=500)
    assert fit_batch(c).batch_size == 70 == c.n_train
    assert fit_batch(c, n_train=12).batch_size == 12              # a student's own, smaller data
    assert fit_batch(c.with_(batch_size=1, batch_norm=True)).batch_size == 2
    one = c.with_(batch_size=1, batch_norm=True)
    assert fit_batch(one, bn_floor=False) == one                   # left for validate() to explain
    assert fit_batch(c.with_(batch_size=16)) == c.with_(batch_size=16)
