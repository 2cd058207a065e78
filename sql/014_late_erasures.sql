-- The retention job looks for deliveries written by an alert whose targeting read a participant just before
-- the participant was erased (the alert's transaction committed after the erasure): the few recent erasures.
CREATE INDEX participants_erased ON participants (erased_at) WHERE status = 'erased';
