-- The units a household hears the weather in: 'metric' (degrees Celsius, km/h, mm) or
-- 'imperial' (degrees Fahrenheit, mph, inches). Existing households keep metric.

ALTER TABLE households ADD COLUMN units TEXT NOT NULL DEFAULT 'metric'
    CHECK (units IN ('metric', 'imperial'));
