#!/usr/bin/env python3
"""Typology v1 → v2 relabel of the gold events in eval/geo/dev.jsonl (mechanical, idempotent).

The v2 rule (EVENTS.md, ASSAULT/FIGHT): an event whose ACLED subtype is an *Explosions/Remote violence*
subtype (shelling/artillery/missile, air/drone strike, chemical weapon, suicide bomb, remote explosive, grenade)
is ASSAULT, as in PLOVER 2021; FIGHT keeps armed clashes, offensives, invasions and territory taken. No other
field changes and no event is judged case by case.

Usage:  python eval/geo/relabel_v2.py [--dev FILE]   (prints what it changed)
"""
import argparse
import json
import os

HERE = os.path.dirname(os.path.abspath(__file__))
REMOTE_VIOLENCE = {'Shelling/artillery/missile attack', 'Air/drone strike', 'Chemical weapon', 'Suicide bomb',
                   'Remote explosive/landmine/IED', 'Grenade'}


def relabel(event):
    """The v2 type of a gold event (unchanged unless the rule applies)."""
    if event['type'] == 'FIGHT' and event.get('subtype') in REMOTE_VIOLENCE:
        return dict(event, type='ASSAULT')
    return event


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--dev', default=os.path.join(HERE, 'dev.jsonl'))
    args = ap.parse_args()
    out = []
    changed = 0
    with open(args.dev, encoding='utf-8') as f:
        for line in f:
            if not line.strip():
                continue
            doc = json.loads(line)
            events = [relabel(e) for e in doc['events']]
            for old, new in zip(doc['events'], events, strict=True):
                if old is not new:
                    changed += 1
                    print(f"{doc['doc']}: {old['trigger']!r} {old['type']} → {new['type']} ({old['subtype']})")
            doc['events'] = events
            out.append(json.dumps(doc, ensure_ascii=False))
    with open(args.dev, 'w', encoding='utf-8') as f:
        f.write('\n'.join(out) + '\n')
    print(f'{changed} events relabelled')


if __name__ == '__main__':
    main()
