-- dlp-sla-bot schema, version 11: a placeholder. Version 11 belongs to another branch (wip/ids); this file only keeps
-- the numbering without gaps until that branch lands, and is deleted when it does.
SELECT 1;
