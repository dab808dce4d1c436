-- Near-duplicates and stories (kilde.stories), rebuilt whole by `kilde stories` (and after `kilde ingest`):
-- every table here is replaced in one transaction, so readers see the old result or the new one, never a mix.
-- Plain tables for SQL, e.g. the biggest stories of a week:
--   SELECT title, first_day, last_day, size FROM stories WHERE last_day >= '2024-03-01' ORDER BY size DESC
-- and the copies of an article:
--   SELECT article_id FROM duplicate_members WHERE group_id = (SELECT group_id FROM duplicate_members WHERE article_id = 'ID')
-- Titles, dates and outlets of articles are not repeated here: join articles on article_id.
-- The same tables as migrations/sqlite/0002_stories.sql, with DOUBLE PRECISION for SQLite's 8-byte REAL.

CREATE TABLE duplicate_groups (
    id TEXT PRIMARY KEY,
    original TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,  -- earliest published, then smallest id
    size INTEGER NOT NULL,                   -- members, original included
    similarity DOUBLE PRECISION NOT NULL     -- lowest estimated Jaccard similarity of a member to the original
);

CREATE TABLE duplicate_members (
    article_id TEXT PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,  -- an article is in one group at most
    group_id TEXT NOT NULL REFERENCES duplicate_groups (id) ON DELETE CASCADE,
    seq INTEGER NOT NULL                     -- 0 is the original
);
CREATE INDEX duplicate_members_group ON duplicate_members (group_id, seq);

CREATE TABLE stories (
    id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    first_day TEXT,                          -- YYYY-MM-DD of its first and last article (NULL: no dates)
    last_day TEXT,
    size INTEGER NOT NULL,                   -- articles, copies included
    outlets INTEGER NOT NULL                 -- distinct outlets
);
CREATE INDEX stories_last_day ON stories (last_day);

CREATE TABLE story_articles (
    article_id TEXT PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,  -- an article is in one story at most
    story_id TEXT NOT NULL REFERENCES stories (id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,                    -- order in the story: by publication, originals before their copies
    duplicate_of TEXT                        -- the original this article copies (duplicate_groups.original), or NULL
);
CREATE INDEX story_articles_story ON story_articles (story_id, seq);

CREATE TABLE story_places (
    story_id TEXT NOT NULL REFERENCES stories (id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,                    -- 0 is the most mentioned
    name TEXT NOT NULL,
    mentions INTEGER NOT NULL,
    PRIMARY KEY (story_id, seq)
);

CREATE TABLE story_speakers (
    story_id TEXT NOT NULL REFERENCES stories (id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,                    -- 0 is the most quoted
    name TEXT NOT NULL,
    quotes INTEGER NOT NULL,
    PRIMARY KEY (story_id, seq)
);

CREATE TABLE story_timeline (
    story_id TEXT NOT NULL REFERENCES stories (id) ON DELETE CASCADE,
    day TEXT NOT NULL,                       -- YYYY-MM-DD
    articles INTEGER NOT NULL,
    PRIMARY KEY (story_id, day)
);
