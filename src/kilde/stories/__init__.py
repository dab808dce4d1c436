"""Near-duplicates across outlets and stories over time.

:mod:`kilde.stories.duplicates` groups wire copies and lightly edited versions of
one text (MinHash + LSH over word shingles); :mod:`kilde.stories.clustering` groups
each day's articles by content and links the days' clusters into stories (EMM-style);
:func:`kilde.stories.build.build_stories` runs both over a store and saves the result.
The records they exchange with the store are defined here (:mod:`kilde.stories.records`);
importing this package does not import the clustering's numerical libraries.
"""

from kilde.stories.records import DuplicateGroup, Story, StoryArticle, StoryDoc

__all__ = ["DuplicateGroup", "Story", "StoryArticle", "StoryDoc"]
