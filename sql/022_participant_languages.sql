-- Issue 25, "Their own language": participants choose among Dutch, English, German, French, Polish, Turkish, Arabic
-- and Ukrainian (src/languages/languages.ts). The list is wider than before, so every existing row passes: the new
-- checks are added NOT VALID (no table scan under the exclusive lock) and validated afterwards under a lock that
-- lets dispatch go on.
ALTER TABLE participants DROP CONSTRAINT participants_language_check;
ALTER TABLE participants ADD CONSTRAINT participants_language_check
  CHECK (language IN ('nl', 'en', 'de', 'fr', 'pl', 'tr', 'ar', 'uk')) NOT VALID;
ALTER TABLE participants VALIDATE CONSTRAINT participants_language_check;

ALTER TABLE deliveries DROP CONSTRAINT deliveries_language_check;
ALTER TABLE deliveries ADD CONSTRAINT deliveries_language_check
  CHECK (language IN ('nl', 'en', 'de', 'fr', 'pl', 'tr', 'ar', 'uk')) NOT VALID;
ALTER TABLE deliveries VALIDATE CONSTRAINT deliveries_language_check;
