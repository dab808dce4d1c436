-- Places keep the name a Danish reader knows (Place.label: København, Rusland, Storbritannien) beside the
-- GeoNames name (Copenhagen, Russia, United Kingdom), for maps, story pages and place lists in Danish.
-- Rows stored before this migration have no label; readers fall back to the name.
ALTER TABLE places ADD COLUMN label TEXT;
