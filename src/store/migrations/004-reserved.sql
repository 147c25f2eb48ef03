-- Placeholder for version 4, which the Microsoft Teams work owns (conversation references).
-- On merge, the Teams branch's 004 file replaces this one; delete this file then.
SELECT 1;
