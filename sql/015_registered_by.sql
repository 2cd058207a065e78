-- Registration keys see only the participants they registered (issue 13). NULL: registered before this column,
-- or by SMS; such rows stay with every registration key, as before (README, one trusted registration backend).
ALTER TABLE participants ADD COLUMN registered_by uuid REFERENCES api_keys (id);
