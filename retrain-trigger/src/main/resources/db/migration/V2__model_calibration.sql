-- The calibrator fitted at training time travels with its model: Calibrator.toBytes() text
-- ("none", "platt <a> <b>", "isotonic <n> <x y>..."), published in ModelVersion.calibration and applied by the stream.
ALTER TABLE ml_models ADD COLUMN calibration TEXT NOT NULL DEFAULT 'none';
