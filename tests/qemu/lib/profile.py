#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""profile.py RESULTS LANE...: where each lane's time went.

Reads what lane.sh and matrix.sh leave in RESULTS/LANE: phases (the host's
phases, "NAME SECONDS"), seconds (the lane's wall time), console.log (the
guest's kernel timestamps on the `mmrepro: begin NAME` / `end NAME` markers)
and, from a run with MMREPRO_PROFILE=1, raw-boot-seconds (the same kernel
booted with an init that only powers off). Prints one table and writes
RESULTS/profile.json.

Guest phases, from the console's timestamps (seconds since the kernel
started): boot is the kernel's start to the first marker (the module's
load); each marker pair is one phase (scenarios, oracle, mutant-pass, fuzz,
...; the mutant pass's own rows are inside it and counted once); qemu is the
rest of the guest's wall time: QEMU and firmware before the kernel's first
line, and power-off after the last; other is what no marker covers (between
scenarios: the runner, the KTAP output on a slow serial console).
"""
import json
import os
import re
import sys
import tempfile

MARK = re.compile(r'\[\s*(\d+\.\d+)\](?:\[\s*\S+\])? mmrepro: (begin|end) (\S+)')
STAMP = re.compile(r'^\[\s*(\d+\.\d+)\]')
# Guest-init's own steps; everything else between markers is a scenario.
STEPS = ('load', 'fuzz', 'mutant-pass', 'bench', 'knobs', 'unload', 'kmemleak', 'oracle',
         'oracle-thp')
# mmrepro bench's rows: op, memory, mmrepro ns/page, peer, peer ns/page, ratio.
BENCH = re.compile(r'^# bench: (\S+(?: LONGTERM)?)\s+(4k|thp)\s+([0-9.]+|-)\s+(.*?)\s+([0-9.]+|-)(?:\s+([0-9.]+))?$')


def read(path, default=None):
    try:
        with open(path, errors='replace') as f:
            return f.read()
    except OSError:
        return default


def number(text):
    try:
        return float(text.strip())
    except (AttributeError, ValueError):
        return None


def host_phases(lanedir):
    phases = {}
    for line in (read(os.path.join(lanedir, 'phases'), '') or '').splitlines():
        name, _, secs = line.partition(' ')
        if number(secs) is not None:
            phases[name] = round(phases.get(name, 0.0) + number(secs), 3)
    return phases


def guest_phases(console, wall):
    """{'boot': s, 'steps': {name: s}, 'scenarios': {name: s}, 'qemu': s}."""
    begun, steps, scenarios = {}, {}, {}
    first = last = None
    depth_mutants = False
    for line in console.splitlines():
        m = STAMP.match(line)
        if m:
            last = float(m.group(1))
        m = MARK.search(line)
        if not m:
            continue
        t, kind, name = float(m.group(1)), m.group(2), m.group(3)
        if first is None:
            first = t
        if kind == 'begin':
            begun[name] = t
            if name == 'mutant-pass':
                depth_mutants = True
            continue
        if name not in begun:
            continue
        secs = round(t - begun.pop(name), 3)
        if name == 'mutant-pass':
            depth_mutants = False
        if name in STEPS:
            steps[name] = round(steps.get(name, 0.0) + secs, 3)
        elif not depth_mutants:
            scenarios[name] = secs
    out = {'boot': first, 'steps': steps, 'scenarios': scenarios,
           'scenarios_total': round(sum(scenarios.values()), 3)}
    if wall is not None and last is not None:
        out['qemu'] = round(max(wall - last, 0.0), 3)
    if out.get('qemu') is not None and first is not None:
        out['other'] = round(wall - first - out['scenarios_total'] - sum(steps.values())
                             - out['qemu'], 3)
    out['kernel_last'] = last
    return out


def bench_rows(console):
    rows = []
    for line in console.splitlines():
        m = BENCH.match(line)
        if m:
            op, mem, mine, peer, peer_ns, ratio = m.groups()
            rows.append({'op': op, 'mem': mem, 'ns_per_page': number(mine),
                         'peer': peer if not peer.startswith('(') else None,
                         'peer_ns_per_page': number(peer_ns), 'ratio': number(ratio)})
    return rows


def lane_profile(results, lane):
    d = os.path.join(results, lane)
    console = read(os.path.join(d, 'console.log'), '') or ''
    host = host_phases(d)
    wall = host.get('guest')
    if wall is None:
        wall = number(read(os.path.join(d, 'boot-seconds')))
    p = {
        'seconds': number(read(os.path.join(d, 'seconds'))),
        'status': (read(os.path.join(d, 'status'), '') or '').strip() or None,
        'host': host,
        'guest': guest_phases(console, wall),
        'guest_wall': wall,
    }
    p['bench'] = bench_rows(console)
    raw = number(read(os.path.join(d, 'raw-boot-seconds')))
    p['raw_boot'] = raw
    p['ratio_to_raw_boot'] = round(wall / raw, 2) if raw and wall else None
    return p


def fmt(v):
    return '-' if v is None else '%.1f' % v


def table(profiles):
    cols = ('lane', 'wall', 'setup', 'guest', 'boot', 'scen', 'mutants', 'oracle', 'fuzz',
            'other', 'qemu', 'raw', 'ratio', 'slowest scenarios')
    print('%-20s %6s %6s %6s %5s %6s %7s %6s %5s %5s %5s %5s %5s  %s' % cols)
    for lane, p in profiles.items():
        g, host = p['guest'], p['host']
        setup = sum(v for k, v in host.items() if k not in ('guest', 'oracle-summary', 'raw-boot'))
        slow = sorted(g['scenarios'].items(), key=lambda kv: -kv[1])[:3]
        print('%-20s %6s %6s %6s %5s %6s %7s %6s %5s %5s %5s %5s %5s  %s' % (
            lane, fmt(p['seconds']), fmt(setup if host else None), fmt(p['guest_wall']),
            fmt(g['boot']), fmt(g['scenarios_total']), fmt(g['steps'].get('mutant-pass')),
            fmt(g['steps'].get('oracle')), fmt(g['steps'].get('fuzz')), fmt(g.get('other')),
            fmt(g.get('qemu')),
            fmt(p['raw_boot']), fmt(p['ratio_to_raw_boot']),
            ', '.join('%s %.0f' % kv for kv in slow)))
    print('(seconds; setup: the host phases before the guest, %s)' % ', '.join(
        sorted({k for p in profiles.values() for k in p['host']} - {'guest', 'oracle-summary', 'raw-boot'})))
    benched = [lane for lane, p in profiles.items() if p['bench']]
    if not benched:
        return
    print()
    print('mmrepro bench, ns per page (mmrepro / in-tree peer = ratio):')
    print('%-14s %-4s %s' % ('op', 'mem', '  '.join('%-28s' % lane for lane in benched)))
    keys = []
    for lane in benched:
        for r in profiles[lane]['bench']:
            if (r['op'], r['mem']) not in keys:
                keys.append((r['op'], r['mem']))
    for op, mem in keys:
        cells = []
        for lane in benched:
            r = next((r for r in profiles[lane]['bench'] if (r['op'], r['mem']) == (op, mem)), None)
            if not r:
                cells.append('%-28s' % '-')
            elif r['ratio'] is not None:
                cells.append('%-28s' % ('%s / %s = %.2f' % (fmt(r['ns_per_page']),
                                                            fmt(r['peer_ns_per_page']), r['ratio'])))
            else:
                cells.append('%-28s' % fmt(r['ns_per_page']))
        print('%-14s %-4s %s' % (op, mem, '  '.join(cells)))


SELF_TEST_CONSOLE = """\
[    0.000000] Linux version 7.2.13-mmrepro
[    4.000000] mmrepro: begin load
[    4.500000] mmrepro: end load ok
[    4.600000] mmrepro: begin fork-pin
ok 1 fork-pin # OK fine
[    6.600000] mmrepro: end fork-pin ok
[    7.000000] mmrepro: begin mutant-pass
[    7.100000] mmrepro: begin mutant.x.fork-pin
[    8.100000] mmrepro: end mutant.x.fork-pin bug
[   17.000000] mmrepro: end mutant-pass ok
[   17.100000] mmrepro: begin bench
# bench: 7.2.13-mmrepro: 8 MiB a run (2048 pages), median of 3 runs, ns per page
# bench: PIN            4k     3756.1  gup_test PIN_BASIC_TEST                  2997.1   1.25
# bench: DEV_READ       4k    20281.8  (none in tree)                                -
# bench: PIN LONGTERM   thp skipped: the memory is not PMD-mapped THP
some output[   20.100000] mmrepro: end bench ok
[   21.000000] MMREPRO-GUEST-END
"""


def self_test():
    """Checks on a made-up lane; prints one line, returns 0 or 1."""
    with tempfile.TemporaryDirectory() as results:
        lane = os.path.join(results, 'l')
        os.mkdir(lane)
        files = {'console.log': SELF_TEST_CONSOLE, 'seconds': '30\n', 'status': 'done\n',
                 'phases': 'resolve 1.5\nmodule 0.25\nguest 23.000\n', 'raw-boot-seconds': '2.3\n'}
        for name, text in files.items():
            with open(os.path.join(lane, name), 'w') as f:
                f.write(text)
        p = lane_profile(results, 'l')
    g = p['guest']
    checks = [
        ('boot', g['boot'], 4.0),
        ('scenarios (mutant rows inside the pass not counted)', g['scenarios'], {'fork-pin': 2.0}),
        ('steps', g['steps'], {'load': 0.5, 'mutant-pass': 10.0, 'bench': 3.0}),
        ('qemu', g['qemu'], 2.0),
        ('other', g['other'], 23.0 - 4.0 - 2.0 - 13.5 - 2.0),
        ('host', p['host'], {'resolve': 1.5, 'module': 0.25, 'guest': 23.0}),
        ('ratio', p['ratio_to_raw_boot'], 10.0),
        ('bench rows', [(r['op'], r['mem'], r['ratio'], r['peer']) for r in p['bench']],
         [('PIN', '4k', 1.25, 'gup_test PIN_BASIC_TEST'), ('DEV_READ', '4k', None, None)]),
    ]
    bad = [(what, got, want) for what, got, want in checks
           if (round(got, 3) if isinstance(got, float) else got) != want]
    for what, got, want in bad:
        print('profile.py self-test: %s: got %r, want %r' % (what, got, want))
    print('profile.py self-test: %d passed, %d failed' % (len(checks) - len(bad), len(bad)))
    return 1 if bad else 0


def main(argv):
    if argv[1:] == ['--self-test']:
        return self_test()
    if len(argv) < 3:
        print('usage: profile.py RESULTS LANE...', file=sys.stderr)
        return 64
    results, lanes = argv[1], argv[2:]
    profiles = {lane: lane_profile(results, lane) for lane in lanes}
    total = sum(p['seconds'] or 0 for p in profiles.values())
    with open(os.path.join(results, 'profile.json'), 'w') as f:
        json.dump({'lanes': profiles, 'lanes_seconds': total}, f, indent=1, sort_keys=True)
        f.write('\n')
    table(profiles)
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
