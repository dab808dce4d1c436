#!/usr/bin/env python3
"""Validate the Kilde geo/time/event development set (eval/geo/dev.jsonl).

Checks offsets and span texts, field values, event types against EVENTS.md,
that every expected document is present exactly once and that no test-only
CDT document is used.  Prints summary counts.  Exit code 0 = valid.

check2.jsonl and check3.jsonl (the events-only held-out splits) and tune2.jsonl (events-only, for tuning;
see README.md) are checked too: their records carry
"layers": ["events"], their places are only those the events name and they have no times.

Usage:  python eval/geo/validate.py [--data DIR] [--dev FILE]
DIR is the shared data root holding cdt_ddt/ (default: <repo>/../shared/data,
or $KILDE_DATA).
"""
import argparse
import collections
import csv
import datetime
import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))

CDT_DOCS = ('0120 0132 0133 0134 0138 0140 0141 0187 0188 0190 0191 0211 0258 0273 0294 '
            '0366 0376 0378 0465 0468 0473 0475 0479 0483 0486 0488 0496 0644 0645 0652 '
            '0654 0656 0667 0671 0674 0675 0680 0683 0688 0690').split()
OWN_DOCS = ['own-%02d' % i for i in range(1, 7)]
# check2: 26 further newspaper documents drawn at random (seeds 2026, 2027) from the non-test-only CDT newspaper
# documents not in dev.jsonl; events annotated before the extractor was run on them
CHECK2_DOCS = ('0259 0733 0771 0783 0795 0895 0902 0904 0956 1067 1094 1144 1241 1251 1259 1355 1375 1383 '
               '1398 1433 1439 1468 1490 1500 1527 1536').split()
# tune2: 12 more drawn the same way (seed 2028, excluding dev and check2), events only, for diagnosing the extractor
TUNE2_DOCS = '0197 0484 0883 0919 0932 1035 1090 1175 1181 1186 1223 1465'.split()
# check3: 30 more drawn the same way (random.Random(2029).sample(candidates sorted by id, 30), candidates = the
# non-test-only newspaper documents not in dev, check2 or tune2), sorted by id; events annotated by reading each
# document before the extractor was run on them (held out, never used for tuning)
CHECK3_DOCS = ('0357 0646 0647 0790 0793 0862 0925 0927 0939 0951 0998 1017 1038 1039 1061 1063 1143 1307 '
               '1321 1325 1336 1408 1427 1437 1453 1456 1478 1491 1498 1503').split()
# train: 192 more drawn the same way (random.Random(2030).sample(candidates sorted by id, 192), candidates = the
# non-test-only newspaper documents not in dev, check2, tune2 or check3), sorted by id; events annotated by reading
# each document, without the extractor, its lexicon or its output; for learning the event lexicon (benchmarks/geo.py
# scores the shipped extractor on it as held out while nothing learned from it is installed)
TRAIN_DOCS = ('0143 0144 0148 0182 0184 0260 0262 0272 0278 0375 0580 0660 0670 0685 0694 0697 0700 0705 '
               '0708 0713 0720 0725 0729 0730 0735 0736 0738 0741 0747 0752 0754 0763 0770 0781 0794 0800 '
               '0805 0809 0817 0821 0822 0837 0839 0840 0843 0848 0853 0855 0856 0863 0864 0870 0873 0874 '
               '0876 0879 0884 0888 0889 0893 0905 0915 0917 0926 0931 0934 0940 0943 0947 0949 0957 0958 '
               '0960 0962 0965 0968 0970 0974 0975 0978 0988 0989 0992 1001 1008 1010 1011 1014 1019 1023 '
               '1030 1031 1032 1040 1042 1043 1047 1049 1053 1054 1056 1057 1058 1062 1071 1075 1077 1095 '
               '1100 1104 1117 1128 1129 1130 1138 1150 1154 1162 1166 1168 1169 1170 1173 1182 1183 1190 '
               '1224 1227 1228 1237 1244 1250 1252 1255 1276 1277 1287 1302 1319 1327 1328 1333 1337 1338 '
               '1339 1347 1357 1365 1368 1371 1372 1373 1377 1378 1379 1381 1382 1386 1390 1394 1399 1400 '
               '1401 1406 1414 1420 1421 1426 1428 1429 1435 1436 1449 1459 1466 1471 1472 1485 1488 1494 '
               '1495 1497 1506 1508 1514 1519 1522 1523 1545 1546 1547 1551').split()
EVENTS_ONLY = set(CHECK2_DOCS) | set(TUNE2_DOCS) | set(CHECK3_DOCS) | set(TRAIN_DOCS)
# check3-second.jsonl: a second annotator's independent events for check3 documents, to measure agreement
SECOND = CHECK3_DOCS[:]

DOC_KEYS = {'doc', 'path', 'published', 'places', 'times', 'events'}
PLACE_KEYS = {'start', 'end', 'text', 'name', 'geonameid', 'lat', 'lon', 'country', 'feature', 'demonym'}
TIME_KEYS = {'start', 'end', 'text', 'type', 'value', 'vague'}
EVENT_KEYS = {'type', 'subtype', 'trigger', 'trigger_start', 'actor', 'target', 'place', 'time',
              'sentence_start', 'sentence_end', 'negated', 'modality'}
FEATURES = {'country', 'region', 'city', 'other'}
TIME_TYPES = {'date', 'time', 'duration', 'set', 'interval'}
MODALITIES = {'asserted', 'planned', 'reported', 'denied', 'hypothetical'}
ACLED_SUBTYPES = {
    'Armed clash', 'Government regains territory', 'Non-state actor overtakes territory',
    'Chemical weapon', 'Air/drone strike', 'Suicide bomb', 'Shelling/artillery/missile attack',
    'Remote explosive/landmine/IED', 'Grenade', 'Sexual violence', 'Attack',
    'Abduction/forced disappearance', 'Peaceful protest', 'Protest with intervention',
    'Excessive force against protesters', 'Violent demonstration', 'Mob violence', 'Agreement',
    'Arrests', 'Change to group/activity', 'Disrupted weapons use',
    'Headquarters or base established', 'Looting/property destruction',
    'Non-violent transfer of territory', 'Other'}

# --- TIMEX3-style value grammar -------------------------------------------
_DATE = (r'(?:\d{4}(?:-\d{2}(?:-\d{2})?)?'          # 1992, 1992-06, 1992-06-02
         r'|\d{3}|\d{2}'                              # decade 196, century 19
         r'|\d{4}-W\d{2}(?:-WE|-[1-7])?'              # 1992-W12, 2023-W48-WE
         r'|\d{4}-(?:SP|SU|FA|WI)|\d{4}-Q[1-4]|\d{4}-H[12]'
         r'|XXXX(?:-(?:XX|\d{2})(?:-(?:XX|\d{2}))?)?'  # XXXX-03-01, XXXX-XX-XX
         r'|PRESENT_REF|PAST_REF|FUTURE_REF)')
_TIME = _DATE + r'T(?:\d{2}(?::\d{2}(?::\d{2})?)?|MO|MI|AF|EV|NI|DT)'
_DUR = r'P(?=[\dXT])(?:(?:\d+(?:\.\d+)?|X)[YMWD])*(?:T(?:(?:\d+(?:\.\d+)?|X)[HMS])+)?'
RE_DATE = re.compile('^' + _DATE + '$')
RE_TIME = re.compile('^' + _TIME + '$')
RE_DUR = re.compile('^' + _DUR + '$')
RE_SET = re.compile('^(?:' + _DUR + r'|XXXX-WXX-[1-7]|XXXX-XX-XX(?:T\S+)?|' + _TIME + ')$')
RE_POINT = '(?:' + _TIME + '|' + _DATE + ')'
RE_INTERVAL = re.compile('^' + RE_POINT + '/' + RE_POINT + '$')
TIME_RE = {'date': RE_DATE, 'time': RE_TIME, 'duration': RE_DUR, 'set': RE_SET, 'interval': RE_INTERVAL}


def event_types_from_doc(path):
    """Event type names are the level-3 headings '### NAME' in EVENTS.md."""
    types = []
    with open(path, encoding='utf-8') as f:
        for line in f:
            m = re.match(r'^###\s+([A-Z_]+)\b', line)
            if m:
                types.append(m.group(1))
    return types


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--data', default=os.environ.get('KILDE_DATA', os.path.join(os.path.dirname(REPO), 'shared', 'data')))
    ap.add_argument('--dev', default=os.path.join(HERE, 'dev.jsonl'))
    ap.add_argument('--check2', default=os.path.join(HERE, 'check2.jsonl'))
    ap.add_argument('--tune2', default=os.path.join(HERE, 'tune2.jsonl'))
    ap.add_argument('--check3', default=os.path.join(HERE, 'check3.jsonl'))
    ap.add_argument('--train', default=os.path.join(HERE, 'train.jsonl'))
    ap.add_argument('--partial', action='store_true', help='the --train file may hold only some of the train documents (one annotator\'s part)')
    ap.add_argument('--second', action='append', default=[os.path.join(HERE, 'check3-second.jsonl')],
                    help='a second, independent annotation of some check3 documents (for inter-annotator agreement)')
    args = ap.parse_args()

    errors = []

    def err(doc, msg):
        errors.append('%s: %s' % (doc, msg))

    meta_path = os.path.join(args.data, 'cdt_ddt', 'metadata.tsv')
    if not os.path.exists(meta_path):
        print('ERROR: CDT metadata not found at %s (use --data or KILDE_DATA)' % meta_path)
        return 2
    with open(meta_path, encoding='utf-8') as f:
        meta = {r['id']: r for r in csv.DictReader(f, delimiter='\t')}

    event_types = event_types_from_doc(os.path.join(HERE, 'EVENTS.md'))
    if len(event_types) != len(set(event_types)):
        err('EVENTS.md', 'duplicate event type headings')
    event_types = set(event_types)
    if not event_types:
        err('EVENTS.md', 'no event types (### NAME headings) found')

    recs = []
    seconds = []
    for path, expected in ((args.dev, CDT_DOCS + OWN_DOCS), (args.check2, CHECK2_DOCS), (args.tune2, TUNE2_DOCS),
                           (args.check3, CHECK3_DOCS), (args.train, TRAIN_DOCS)) + tuple((f, SECOND) for f in args.second):
        name = os.path.basename(path)
        part = []
        if (expected is TRAIN_DOCS and args.partial or expected is SECOND) and not os.path.exists(path):
            continue
        with open(path, encoding='utf-8') as f:
            for n, line in enumerate(f, 1):
                if not line.strip():
                    err(name, 'blank line %d' % n)
                    continue
                try:
                    part.append(json.loads(line))
                except json.JSONDecodeError as e:
                    err(name, 'line %d: bad JSON (%s)' % (n, e))
        seen = collections.Counter(r.get('doc') for r in part)
        for d in expected:
            if seen[d] == 0 and not (expected is TRAIN_DOCS and args.partial or expected is SECOND):
                err(d, 'missing document in %s' % name)
        for d, c in seen.items():
            if d not in expected:
                err(str(d), 'unexpected document in %s' % name)
            if c > 1:
                err(str(d), 'present %d times' % c)
        if expected is SECOND:
            seconds += part  # checked like the others, counted apart
        else:
            recs += part
    first_count = len(recs)
    second_ids = {id(r) for r in seconds}
    recs += seconds
    for a, b in ((CHECK2_DOCS, CDT_DOCS), (TUNE2_DOCS, CDT_DOCS), (TUNE2_DOCS, CHECK2_DOCS),
                 (CHECK3_DOCS, CDT_DOCS), (CHECK3_DOCS, CHECK2_DOCS), (CHECK3_DOCS, TUNE2_DOCS),
                 (TRAIN_DOCS, CDT_DOCS), (TRAIN_DOCS, CHECK2_DOCS), (TRAIN_DOCS, TUNE2_DOCS), (TRAIN_DOCS, CHECK3_DOCS)):
        if set(a) & set(b):
            err('split', 'documents in two splits: %s' % sorted(set(a) & set(b)))

    cnt = collections.Counter()
    feat = collections.Counter()
    ttype = collections.Counter()
    tvague = collections.Counter()
    etype = collections.Counter()
    emod = collections.Counter()
    # a second annotation is checked like the rest but counted apart, so the totals below are of the data set itself
    main_counters = (cnt, feat, ttype, tvague, etype, emod)
    second_counters = tuple(collections.Counter() for _ in main_counters)

    for r in recs:
        doc = r.get('doc')
        cnt, feat, ttype, tvague, etype, emod = second_counters if id(r) in second_ids else main_counters
        events_only = doc in EVENTS_ONLY
        if set(r) != (DOC_KEYS | {'layers'} if events_only else DOC_KEYS):
            err(doc, 'record keys %s != %s' % (sorted(r), sorted(DOC_KEYS)))
            continue
        if events_only and (r['layers'] != ['events'] or r['times']):
            err(doc, 'check2/check3/tune2/train records are events-only: layers ["events"], no times')
        # --- source text --------------------------------------------------
        is_cdt = isinstance(doc, str) and re.fullmatch(r'\d{4}', doc) is not None
        if is_cdt or str(r['path']).startswith('cdt_ddt/'):
            m = meta.get(doc)
            if m is None:
                err(doc, 'not in metadata.tsv')
                continue
            if m['ud_split_status'] == 'test-only':
                # held-out document: report it and never open its text
                err(doc, 'TEST-ONLY document must not be in the dev set')
                continue
            if r['path'] != 'cdt_ddt/txt/%s-da.txt' % doc:
                err(doc, 'unexpected path %r' % r['path'])
            if r['published'] != m['date']:
                err(doc, 'published %r != metadata date %r' % (r['published'], m['date']))
            full = os.path.join(args.data, r['path'])
        else:
            if r['path'] != 'articles/%s.txt' % doc:
                err(doc, 'unexpected path %r' % r['path'])
            full = os.path.join(HERE, r['path'])
        try:
            datetime.date.fromisoformat(r['published'])
        except (TypeError, ValueError):
            if r['published'] is not None:
                err(doc, 'published is not an ISO date: %r' % r['published'])
        if not os.path.exists(full):
            err(doc, 'text file not found: %s' % full)
            continue
        with open(full, encoding='utf-8') as f:
            text = f.read()
        if doc in OWN_DOCS:
            nw = len(text.split())
            if not 150 <= nw <= 300:
                err(doc, 'own article has %d words (want 150-300)' % nw)
            if r['published'] is None:
                err(doc, 'own article needs a publication date')

        def span_ok(kind, i, a):
            s, e = a.get('start'), a.get('end')
            if not (isinstance(s, int) and isinstance(e, int) and 0 <= s < e <= len(text)):
                err(doc, '%s[%d] bad offsets %r-%r' % (kind, i, s, e))
                return False
            if text[s:e] != a.get('text'):
                err(doc, '%s[%d] text %r != source %r' % (kind, i, a.get('text'), text[s:e]))
                return False
            if text[s:e] != text[s:e].strip():
                err(doc, '%s[%d] span has surrounding whitespace' % (kind, i))
            return True

        # --- places ---------------------------------------------------------
        place_names = set()
        spans = []
        for i, p in enumerate(r['places']):
            if set(p) != PLACE_KEYS:
                err(doc, 'place[%d] keys %s' % (i, sorted(p)))
                continue
            if not span_ok('place', i, p):
                continue
            spans.append((p['start'], p['end']))
            if not (isinstance(p['name'], str) and p['name'].strip()):
                err(doc, 'place[%d] empty name' % i)
            place_names.add(p['name'])
            if p['geonameid'] is not None and not (isinstance(p['geonameid'], int) and not isinstance(p['geonameid'], bool) and p['geonameid'] > 0):
                err(doc, 'place[%d] geonameid must be positive int or null' % i)
            for k, lim in (('lat', 90), ('lon', 180)):
                v = p[k]
                if isinstance(v, bool) or not isinstance(v, (int, float)) or not -lim <= v <= lim:
                    err(doc, 'place[%d] bad %s %r' % (i, k, v))
            if p['country'] is not None and not (isinstance(p['country'], str) and re.fullmatch('[A-Z]{2}', p['country'])):
                err(doc, 'place[%d] bad country %r' % (i, p['country']))
            if p['feature'] not in FEATURES:
                err(doc, 'place[%d] bad feature %r' % (i, p['feature']))
            if not isinstance(p['demonym'], bool):
                err(doc, 'place[%d] demonym must be bool' % i)
            if p['demonym'] and p['text'][:1].isupper() and p['text'] == p['name']:
                err(doc, 'place[%d] demonym span equals the place name' % i)
            cnt['places'] += 1
            cnt['demonyms'] += bool(p['demonym'])
            cnt['geonameid'] += p['geonameid'] is not None
            feat[p['feature']] += 1
        spans.sort()
        for (s1, e1), (s2, e2) in zip(spans, spans[1:]):
            if s2 < e1:
                err(doc, 'overlapping place spans %d-%d / %d-%d' % (s1, e1, s2, e2))

        # --- times ----------------------------------------------------------
        time_values = set()
        spans = []
        for i, t in enumerate(r['times']):
            if set(t) != TIME_KEYS:
                err(doc, 'time[%d] keys %s' % (i, sorted(t)))
                continue
            if not span_ok('time', i, t):
                continue
            spans.append((t['start'], t['end']))
            if t['type'] not in TIME_TYPES:
                err(doc, 'time[%d] bad type %r' % (i, t['type']))
            elif not (isinstance(t['value'], str) and TIME_RE[t['type']].match(t['value'])):
                err(doc, 'time[%d] value %r not a valid %s value' % (i, t['value'], t['type']))
            if not isinstance(t['vague'], bool):
                err(doc, 'time[%d] vague must be bool' % i)
            if isinstance(t['value'], str) and t['value'].endswith('_REF') and not t['vague']:
                err(doc, 'time[%d] *_REF value must be vague' % i)
            time_values.add(t['value'])
            cnt['times'] += 1
            ttype[t['type']] += 1
            tvague[t['type']] += bool(t['vague'])
        spans.sort()
        for (s1, e1), (s2, e2) in zip(spans, spans[1:]):
            if s2 < e1:
                err(doc, 'overlapping time spans %d-%d / %d-%d' % (s1, e1, s2, e2))

        # --- events ---------------------------------------------------------
        for i, ev in enumerate(r['events']):
            if set(ev) != EVENT_KEYS:
                err(doc, 'event[%d] keys %s' % (i, sorted(ev)))
                continue
            if ev['type'] not in event_types:
                err(doc, 'event[%d] type %r not defined in EVENTS.md' % (i, ev['type']))
            if ev['subtype'] is not None and ev['subtype'] not in ACLED_SUBTYPES:
                err(doc, 'event[%d] unknown ACLED subtype %r' % (i, ev['subtype']))
            ts = ev['trigger_start']
            if not (isinstance(ts, int) and isinstance(ev['trigger'], str) and ev['trigger']
                    and text[ts:ts + len(ev['trigger'])] == ev['trigger']):
                err(doc, 'event[%d] trigger %r not at %r' % (i, ev['trigger'], ts))
                continue
            ss, se = ev['sentence_start'], ev['sentence_end']
            if not (isinstance(ss, int) and isinstance(se, int) and 0 <= ss <= ts and ts + len(ev['trigger']) <= se <= len(text)):
                err(doc, 'event[%d] sentence %r-%r does not contain trigger' % (i, ss, se))
            elif '\n\n' in text[ss:se]:
                err(doc, 'event[%d] sentence span crosses a paragraph break' % i)
            for k in ('actor', 'target'):
                if ev[k] is not None and not (isinstance(ev[k], str) and ev[k].strip()):
                    err(doc, 'event[%d] %s must be non-empty text or null' % (i, k))
            if doc in CHECK2_DOCS:
                cnt['check2_events'] += 1
            elif doc in TUNE2_DOCS:
                cnt['tune2_events'] += 1
            elif doc in CHECK3_DOCS:
                cnt['check3_events'] += 1
            elif doc in TRAIN_DOCS:
                cnt['train_events'] += 1
            if ev['place'] is not None and ev['place'] not in place_names:
                err(doc, 'event[%d] place %r is not an annotated place name in this doc' % (i, ev['place']))
            if ev['time'] is not None and ev['time'] not in time_values and not events_only:
                err(doc, 'event[%d] time %r is not an annotated time value in this doc' % (i, ev['time']))
            if not isinstance(ev['negated'], bool):
                err(doc, 'event[%d] negated must be bool' % i)
            if ev['modality'] not in MODALITIES:
                err(doc, 'event[%d] bad modality %r' % (i, ev['modality']))
            if ev['modality'] == 'denied' and not ev['negated']:
                err(doc, 'event[%d] modality denied implies negated=true' % i)
            cnt['events'] += 1
            etype[ev['type']] += 1
            emod[ev['modality']] += 1
            cnt['negated'] += bool(ev['negated'])

    # --- report -------------------------------------------------------------
    cnt, feat, ttype, tvague, etype, emod = main_counters
    ncdt = sum(1 for r in recs if r.get('doc') in CDT_DOCS)
    nown = sum(1 for r in recs if r.get('doc') in OWN_DOCS)
    nc2 = sum(1 for r in recs if r.get('doc') in CHECK2_DOCS)
    nt2 = sum(1 for r in recs if r.get('doc') in TUNE2_DOCS)
    nc3 = sum(1 for r in recs[:first_count] if r.get('doc') in CHECK3_DOCS)
    ntr = sum(1 for r in recs if r.get('doc') in TRAIN_DOCS)
    if seconds:
        print('second annotation of check3: %d documents, %d events' % (len(seconds), second_counters[0]['events']))
    print('documents: %d (cdt %d, own %d; events only: check2 %d with %d events, tune2 %d with %d events, '
          'check3 %d with %d events, train %d with %d events)'
          % (first_count, ncdt, nown, nc2, cnt['check2_events'], nt2, cnt['tune2_events'], nc3, cnt['check3_events'],
             ntr, cnt['train_events']))
    print('places: %d, of which demonyms %d; with geonameid %d; by feature: %s'
          % (cnt['places'], cnt['demonyms'], cnt['geonameid'],
             ', '.join('%s %d' % kv for kv in sorted(feat.items()))))
    print('times: %d; by type: %s' % (cnt['times'], ', '.join(
        '%s %d (vague %d)' % (k, ttype[k], tvague[k]) for k in sorted(ttype))))
    print('events: %d (negated %d); by modality: %s' % (
        cnt['events'], cnt['negated'], ', '.join('%s %d' % kv for kv in sorted(emod.items()))))
    print('events by type: ' + ', '.join('%s %d' % kv for kv in sorted(etype.items(), key=lambda x: (-x[1], x[0]))))
    unused = sorted(event_types - set(etype))
    if unused:
        print('event types not yet exemplified: ' + ', '.join(unused))
    if errors:
        print('\n%d ERROR(S):' % len(errors))
        for e in errors:
            print('  ' + e)
        return 1
    print('OK')
    return 0


if __name__ == '__main__':
    sys.exit(main())
