-- A job loads a key's most recent examples newest first (ExampleStore.load: time, then example id, descending). With
-- the example id in the index, PostgreSQL reads them in that order from the index instead of sorting every row with
-- its feature array (a million rows of 84 doubles is most of a gigabyte to sort). The old index is a prefix of this one.
CREATE INDEX training_examples_recent ON training_examples (task, horizon_minutes, feature_set_hash, time_ms, example_id);
DROP INDEX training_examples_task_time;
