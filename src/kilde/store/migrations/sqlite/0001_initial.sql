-- Kilde corpus, first schema: one row per article, its full record as JSON beside it (records), the record's
-- parts in plain tables for SQL, and a full-text index over Danish-stemmed text, quotes and captions.
-- Offsets are character offsets into articles.text, as in the record; "start"/"end" are SQL keywords,
-- hence start_char/end_char. Child rows follow their article (ON DELETE CASCADE).

CREATE TABLE articles (
    rowid INTEGER PRIMARY KEY,                -- joins the full-text index (articles_fts.rowid)
    id TEXT NOT NULL UNIQUE,                  -- the record's id: a hash of url + text
    content_hash TEXT NOT NULL,               -- sha256 of the cleaned text
    url TEXT,
    url_key TEXT NOT NULL DEFAULT '',         -- url or '': NULLs never collide in a UNIQUE index
    path TEXT,
    outlet TEXT,
    format TEXT,
    title TEXT,
    published TEXT,                           -- ISO 8601 date or datetime, as in the record
    language TEXT,
    byline TEXT,
    text TEXT NOT NULL,
    summary TEXT,
    keywords TEXT NOT NULL DEFAULT '[]',      -- JSON array
    ingested_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    UNIQUE (content_hash, url_key)            -- the same article twice is one row
);
CREATE INDEX articles_published ON articles (published);
CREATE INDEX articles_outlet ON articles (outlet);

-- The full Article record as JSON (json_extract works on it). A table of its own: records are large (raw text,
-- offset map), and a scan of articles (GROUP BY outlet …) should not have to read them.
CREATE TABLE records (
    article_id TEXT PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,
    record TEXT NOT NULL
);

CREATE TABLE paragraphs (
    article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    kind TEXT NOT NULL,
    start_char INTEGER NOT NULL,
    end_char INTEGER NOT NULL,
    PRIMARY KEY (article_id, seq)
);

CREATE TABLE captions (
    article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    text TEXT NOT NULL,
    credit TEXT,
    agency TEXT,
    PRIMARY KEY (article_id, seq)
);

CREATE TABLE entities (
    article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    text TEXT NOT NULL,
    label TEXT NOT NULL,
    start_char INTEGER NOT NULL,
    end_char INTEGER NOT NULL,
    link TEXT,
    PRIMARY KEY (article_id, seq)
);
CREATE INDEX entities_text ON entities (text);

CREATE TABLE quotes (
    article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    text TEXT NOT NULL,
    kind TEXT NOT NULL,                       -- direct | indirect
    start_char INTEGER NOT NULL,
    end_char INTEGER NOT NULL,
    cue TEXT,
    speaker TEXT,                             -- the speaker's most specific name in the article
    speaker_mention TEXT,
    speaker_type TEXT NOT NULL,
    confidence REAL NOT NULL,
    PRIMARY KEY (article_id, seq)
);
CREATE INDEX quotes_speaker ON quotes (speaker);

CREATE TABLE speakers (                       -- one row per named speaker per article
    article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    type TEXT NOT NULL,
    quotes INTEGER NOT NULL,
    PRIMARY KEY (article_id, name, type)
);
CREATE INDEX speakers_name ON speakers (name);

CREATE TABLE sources (
    article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    name TEXT NOT NULL,
    type TEXT NOT NULL,
    mentions INTEGER NOT NULL,
    PRIMARY KEY (article_id, seq)
);

CREATE TABLE places (
    article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    name TEXT NOT NULL,
    lat REAL NOT NULL,
    lon REAL NOT NULL,
    geonameid INTEGER,
    country TEXT,
    feature TEXT,
    mentions INTEGER NOT NULL,
    score REAL,
    PRIMARY KEY (article_id, seq)
);
CREATE INDEX places_name ON places (name);

CREATE TABLE times (
    article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    text TEXT NOT NULL,
    value TEXT,
    type TEXT NOT NULL,
    start_char INTEGER NOT NULL,
    end_char INTEGER NOT NULL,
    anchor TEXT,
    PRIMARY KEY (article_id, seq)
);

CREATE TABLE events (
    article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    type TEXT NOT NULL,
    subtype TEXT,
    trigger TEXT NOT NULL,
    actor TEXT,
    target TEXT,
    place TEXT,
    place_geonameid INTEGER,
    time TEXT,
    modality TEXT NOT NULL,
    negated INTEGER NOT NULL,
    attributed_to TEXT,
    sentence_start INTEGER NOT NULL,
    sentence_end INTEGER NOT NULL,
    PRIMARY KEY (article_id, seq)
);
CREATE INDEX events_type ON events (type);

-- Danish-stemmed shadow of title, text, quotes and captions (kilde.store.stemming); rowid = articles.rowid.
-- Diacritics kept: æ, ø, å are letters of their own in Danish.
CREATE VIRTUAL TABLE articles_fts USING fts5 (
    title, text, quotes, captions,
    tokenize = "unicode61 remove_diacritics 0"
);
-- the default ranking (ORDER BY rank): bm25 with a word in the headline counting four times one in the body
INSERT INTO articles_fts (articles_fts, rank) VALUES ('rank', 'bm25(4.0, 1.0, 1.0, 0.5)');

-- The names an article can be filtered by, one row per article (rowid = articles.rowid), so a filter is an index
-- lookup, not a scan. Each column holds the article's names of one kind joined by " | ": '|' is a token here, so a
-- phrase cannot run from one name into the next. A filter matches a name by its whole words, in order
-- ("frederiksen" → Mette Frederiksen), case-insensitively (æ, ø, å too). event = types and ACLED subtypes.
CREATE VIRTUAL TABLE names_fts USING fts5 (
    outlet, speaker, place, entity, event,
    tokenize = "unicode61 remove_diacritics 0 tokenchars '|'"
);
