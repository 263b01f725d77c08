SELECT c.city, a.level, sum(a.amount) AS total, count(*) AS n
FROM aid AS a
LEFT JOIN counties AS c ON a.county_code = c.county_code
GROUP BY c.city, a.level
ORDER BY c.city NULLS LAST, a.level;
