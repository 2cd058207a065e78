-- Issue 26: GET /v1/analytics also sums what the carrier charged and who said they are near.

-- alert_figures (sql/024) is a cache of the tables: emptied so that every alert is rolled up again with the new
-- figures on the next read, never answered with a row that lacks them.
DELETE FROM alert_figures;
ALTER TABLE alert_figures
  -- Participants who answered "near"; null when the alert did not ask (alerts.presence_check).
  ADD COLUMN near      integer,
  -- The carrier's prices in euros (carrier_prices.price_eur), rounded to the cent per alert as its report shows.
  ADD COLUMN cost_eur  numeric(14, 2) NOT NULL,
  -- How many calls and SMS had a price in euros: 0 means the cost is not known, not that it was nothing.
  ADD COLUMN priced    integer NOT NULL;
