"""gas_solver.collector.paused_collector: the garbage-collector policy of row-streaming loops."""

import gc

from gas_solver.collector import paused_collector


def test_pause_freezes_disables_and_restores():
    assert gc.isenabled() and gc.get_freeze_count() == 0
    with paused_collector() as tick:
        assert not gc.isenabled() and gc.get_freeze_count() > 0
        tick()
    assert gc.isenabled() and gc.get_freeze_count() == 0


def test_nested_pauses_share_the_outer_one():
    with paused_collector() as outer:
        frozen = gc.get_freeze_count()
        with paused_collector() as inner:
            assert inner is outer
        assert not gc.isenabled() and gc.get_freeze_count() == frozen  # the inner exit thawed nothing
    assert gc.isenabled() and gc.get_freeze_count() == 0


def test_tick_collects_young_cycles_while_paused():
    class Node:
        pass

    with paused_collector(every=10) as tick:
        for _ in range(100):
            a, b = Node(), Node()
            a.other, b.other = b, a  # a cycle: only the collector frees it
            del a, b
        before = sum(isinstance(o, Node) for o in gc.get_objects())
        for _ in range(10):
            tick()
        after = sum(isinstance(o, Node) for o in gc.get_objects())
    assert before == 200 and after == 0


def test_a_caller_managing_the_collector_keeps_its_settings(monkeypatch):
    # a caller that froze objects of its own: the pause neither freezes more nor thaws them (spied calls, not the
    # freeze count, which drops whenever another thread frees a frozen object)
    calls = []
    gc.freeze()
    try:
        monkeypatch.setattr(gc, "freeze", lambda: calls.append("freeze"))
        monkeypatch.setattr(gc, "unfreeze", lambda: calls.append("unfreeze"))
        with paused_collector():
            assert gc.isenabled()
        monkeypatch.undo()
        assert calls == [] and gc.get_freeze_count() > 0 and gc.isenabled()
    finally:
        monkeypatch.undo()
        gc.unfreeze()
    gc.disable()
    try:
        with paused_collector():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
