-- Payment volume per currency per day: what succeeded, by the UTC day it succeeded, in the
-- currency's minor units (cents for USD). $merchant NULL: every merchant.
SELECT
  day,
  currency,
  count(*) AS payments,
  sum(amount) AS volume
FROM events
WHERE type = 'payment.succeeded'
  AND ($merchant IS NULL OR merchant_id = $merchant)
GROUP BY day, currency
ORDER BY day, currency;
