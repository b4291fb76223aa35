"""ui/pacing.py: the fair gate the play loops take turns through, and the frame budget."""
import threading
import time

import pytest

from ui import pacing


def test_the_gate_serves_threads_in_arrival_order():
    gate = pacing.Gate(1)
    gate.enter()  # held: everyone else must line up
    order, threads = [], []
    for i in range(5):
        def worker(i=i):
            gate.enter()
            order.append(i)
            gate.leave()
        t = threading.Thread(target=worker)
        t.start()
        threads.append(t)
        while len(gate.line) < i + 1:  # each is in line before the next arrives
            time.sleep(0.001)
    gate.leave()
    for t in threads:
        t.join(10)
    assert order == [0, 1, 2, 3, 4]


def test_a_loop_just_started_by_play_goes_to_the_front_of_the_line():
    gate = pacing.Gate(1)
    gate.enter()
    order = []

    def worker(name, first):
        gate.enter(first=first)
        order.append(name)
        gate.leave()

    threads = []
    for name, first in (("playing a while", False), ("playing too", False), ("just pressed Play", True)):
        t = threading.Thread(target=worker, args=(name, first))
        t.start()
        threads.append(t)
        while len(gate.line) < len(threads):
            time.sleep(0.001)
    gate.leave()
    for t in threads:
        t.join(10)
    assert order == ["just pressed Play", "playing a while", "playing too"]


def test_only_a_pacers_first_turn_jumps_the_line():
    gate = pacing.Gate(1)
    pacer = pacing.Pacer(gate=gate, backlog=lambda: 0, check=lambda: None)
    seen = []
    gate.enter = lambda check, first=False: seen.append(first)  # record, do not wait
    gate.leave = lambda: None
    for _ in range(3):
        with pacer.turn():
            pass
    assert seen == [True, False, False]


def test_the_gate_lets_exactly_its_slots_through_at_once():
    gate = pacing.Gate(2)
    inside, most, lock = [0], [0], threading.Lock()

    def worker():
        for _ in range(20):
            gate.enter()
            with lock:
                inside[0] += 1
                most[0] = max(most[0], inside[0])
            time.sleep(0.001)
            with lock:
                inside[0] -= 1
            gate.leave()

    threads = [threading.Thread(target=worker) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert most[0] == 2
    assert gate.free == 2 and not gate.line


def test_students_taking_turns_get_even_shares():
    """Every playing loop gets turns in rotation: nobody starves, nobody runs ahead."""
    gate = pacing.Gate(1)
    turns = [0] * 5
    stop = threading.Event()

    def student(i):
        while not stop.is_set():
            gate.enter()
            turns[i] += 1
            time.sleep(0.002)  # a turn's work (sleeping keeps the test light on a busy machine)
            gate.leave()

    threads = [threading.Thread(target=student, args=(i,)) for i in range(5)]
    for t in threads:
        t.start()
    while sum(turns) < 200:
        time.sleep(0.01)
    stop.set()
    for t in threads:
        t.join(10)
    fair = sum(turns) / len(turns)
    assert min(turns) >= 0.5 * fair, turns  # round robin: each within a few turns of the others
    assert max(turns) <= 1.5 * fair, turns


class Clicked(Exception):
    """Stands for Streamlit's RerunException, raised by the yield check after a click."""


def test_a_click_takes_a_waiting_loop_out_of_line_and_the_line_moves_on():
    gate = pacing.Gate(1)
    gate.enter()
    clicked = threading.Event()
    outcome = {}

    def check():
        if clicked.is_set():
            raise Clicked

    def waiting_student():
        try:
            gate.enter(check)
            outcome["got"] = "slot"
            gate.leave()
        except Clicked:
            outcome["got"] = "clicked"

    t = threading.Thread(target=waiting_student)
    t.start()
    while not gate.line:
        time.sleep(0.001)
    clicked.set()
    t.join(5)
    assert outcome["got"] == "clicked"
    assert not gate.line  # its place in line is given up
    gate.leave()
    gate.enter()  # the gate is still usable: the slot was not lost
    gate.leave()
    assert gate.free == 1


def test_a_loop_handed_the_slot_just_as_it_is_clicked_passes_the_slot_on():
    gate = pacing.Gate(1)
    gate.enter()  # another student's turn

    def check():
        gate.leave()  # that turn ends and hands the slot to the waiting loop, and then …
        raise Clicked  # … the click is seen

    with pytest.raises(Clicked):
        gate.enter(check)
    assert gate.free == 1 and not gate.line  # the slot was passed on, not lost


def test_a_turn_gives_its_slot_back_when_the_run_is_interrupted():
    pacer = pacing.Pacer(gate=pacing.Gate(1), backlog=lambda: 0, check=lambda: None)
    with pytest.raises(Clicked):
        with pacer.turn():
            raise Clicked  # e.g. the draw's st call after a click
    assert pacer.gate.free == 1


def test_frames_wait_for_the_frame_interval_and_for_a_browser_that_lags():
    queued = [0]
    pacer = pacing.Pacer(max_fps=20, gate=pacing.Gate(1), backlog=lambda: queued[0],
                         check=lambda: None)
    assert pacer.frame_due()
    pacer.framed()
    assert not pacer.frame_due()  # 50 ms have not passed
    pacer.last_frame -= 0.05
    assert pacer.frame_due()
    queued[0] = pacing.MAX_BACKLOG + 1  # the browser has not read the last frames yet
    assert not pacer.frame_due()
    assert pacer.held_back == 1
    queued[0] = pacing.MAX_BACKLOG
    assert pacer.frame_due()


def _burn(seconds: float) -> None:
    """Spend `seconds` of this thread's CPU."""
    end = time.thread_time() + seconds
    while time.thread_time() < end:
        pass


def test_after_a_frame_training_matches_the_drawing_not_the_work_set_aside():
    """λ's measurements and the error surface have CPU shares of their own (ui/panel.py): the
    training after a frame is TRAIN_PER_DRAW × the drawing alone. Counting them too held the
    Playground to 11 frames/s (bench_live, README)."""
    pacer = pacing.Pacer(max_fps=20, gate=pacing.Gate(1), backlog=lambda: 0, check=lambda: None)
    with pacer.turn():
        pacer.framed()
        _burn(0.06)                  # drawing
        cpu = time.thread_time()
        _burn(0.12)                  # a measurement with a share of its own
        pacing.set_aside(time.thread_time() - cpu)
        drawing_only = pacer.train_seconds
    assert drawing_only == pytest.approx(pacing.TRAIN_PER_DRAW * 0.06, abs=0.01)
    with pacer.turn():               # the next frame starts with nothing set aside
        pacer.framed()
        _burn(0.06)
        assert pacer.train_seconds == pytest.approx(pacing.TRAIN_PER_DRAW * 0.06, abs=0.01)


def test_while_others_wait_for_a_turn_turns_are_shorter():
    """In a class (someone waits at the gate) a turn trains BUSY_TURN_SECONDS, not TURN_SECONDS,
    after a frame that drew little: turns come round sooner, so everyone gets more frames
    (bench_class: 2.8 → 6.5 frames/s for 30 students, README)."""
    gate = pacing.Gate(1)
    pacer = pacing.Pacer(max_fps=20, gate=gate, backlog=lambda: 0, check=lambda: None)
    with pacer.turn():
        pacer.framed()
        assert pacer.train_seconds == pytest.approx(pacing.TURN_SECONDS, abs=0.002)
        waiting = threading.Thread(target=lambda: (gate.enter(), gate.leave()))
        waiting.start()
        while not gate.line:
            time.sleep(0.001)
        assert pacing.BUSY_TURN_SECONDS < pacing.TURN_SECONDS
        assert pacer.train_seconds == pytest.approx(pacing.BUSY_TURN_SECONDS, abs=0.002)
        _burn(0.03)  # a frame that took long to draw: training still matches it
        assert pacer.train_seconds == pytest.approx(pacing.TRAIN_PER_DRAW * 0.03, abs=0.01)
    waiting.join(10)
    pacer.last_frame = time.perf_counter() - 1  # between frames, alone again: a full turn
    with pacer.turn():
        assert pacer.train_seconds == pacing.TURN_SECONDS


def test_an_animation_frame_waits_until_due_then_counts_itself():
    pacer = pacing.Pacer(max_fps=50, gate=pacing.Gate(1), backlog=lambda: 0, check=lambda: None)
    frames = []
    for _ in range(3):
        with pacer.frame():
            frames.append(time.perf_counter())
    gaps = [b - a for a, b in zip(frames, frames[1:])]
    assert all(g >= 0.02 - 0.002 for g in gaps), gaps  # at most 50 frames a second


def test_an_animation_waiting_for_its_frame_notices_a_click():
    clicked = [False]

    def check():
        if clicked[0]:
            raise Clicked

    pacer = pacing.Pacer(max_fps=20, gate=pacing.Gate(1), backlog=lambda: 10**6, check=check)
    timer = threading.Timer(0.1, lambda: clicked.__setitem__(0, True))
    timer.start()
    with pytest.raises(Clicked):  # the browser never catches up, but the click still ends it
        with pacer.frame():
            pass
    assert pacer.gate.free == 1


def test_outside_a_script_run_the_helpers_do_nothing():
    pacing.yield_check()  # no script run: nothing to interrupt
    assert pacing.backlog() == 0


class FakeClock:
    def __init__(self):
        self.now = 0.0

    def __call__(self):
        return self.now


@pytest.mark.parametrize("fps", [8, 15, 20, 30])
def test_a_credit_keeps_its_rate_whatever_the_frame_rate(fps):
    """λ about CURVATURE_HZ times a second: at 15 frames/s a fixed "every 1/11 s" would measure
    every other frame (7.5/s); the credit measures on 11 of 15 frames. Below the rate, every frame."""
    clock = FakeClock()
    credit = pacing.Credit(11, cap=2, start=1.0, clock=clock)
    measured = 0
    for _ in range(fps * 10):  # ten seconds of frames
        clock.now += 1 / fps
        if credit.refill() >= 1:
            credit.spend(1)
            measured += 1
    assert measured / 10 == pytest.approx(min(fps, 11), abs=0.2)


def test_a_credit_caps_what_it_saves_and_what_it_owes():
    clock = FakeClock()
    credit = pacing.Credit(0.1, cap=0.05, floor=-0.1, clock=clock)
    clock.now = 100.0  # a long pause saves no more than the cap
    assert credit.refill() == pytest.approx(0.05)
    credit.spend(1.0)  # work that overran: owed, down to the floor
    assert credit.value == pytest.approx(-0.1)
    clock.now += 1.0
    assert credit.refill() == pytest.approx(0.0)  # a second at 0.1/s pays it back
    clock.now += 1.0
    assert credit.refill(rate=0.02) == pytest.approx(0.02)  # a rate of the moment


def test_the_gate_says_it_is_busy_while_someone_waits_for_a_turn():
    gate = pacing.Gate(1)
    assert not gate.busy()
    gate.enter()
    assert not gate.busy()  # one player, no line: λ keeps its full share
    waiting = threading.Thread(target=lambda: (gate.enter(), gate.leave()))
    waiting.start()
    while not gate.line:
        time.sleep(0.001)
    assert gate.busy()
    gate.leave()
    waiting.join(10)
    assert not gate.busy()


def test_a_click_ends_the_loop_at_the_next_turn_even_without_frames():
    """A loop whose frames are held back (a browser that has not caught up) makes no Streamlit
    call, so the pacer's own check at each turn is what ends the run after a click: the session's
    next run waits for it (.streamlit/config.toml: one run at a time)."""
    clicked = [False]

    def check():
        if clicked[0]:
            raise Clicked

    pacer = pacing.Pacer(max_fps=20, gate=pacing.Gate(1), backlog=lambda: 10**6, check=check)
    turns = 0
    with pytest.raises(Clicked):
        for _ in range(10):
            with pacer.turn():
                assert not pacer.frame_due()   # held back: no frame, no Streamlit call
                turns += 1
                if turns == 3:
                    clicked[0] = True
    assert turns == 3 and pacer.gate.free == 1
