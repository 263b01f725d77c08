WITH totals AS (
    SELECT county_code, year, sum(amount) AS total
    FROM aid
    GROUP BY county_code, year
), lagged AS (
    SELECT county_code, year, total,
           lag(total, 1) OVER (PARTITION BY county_code ORDER BY year) AS previous
    FROM totals
)
SELECT county_code, year, total, previous, (total - previous) / previous AS growth
FROM lagged
ORDER BY county_code, year;
