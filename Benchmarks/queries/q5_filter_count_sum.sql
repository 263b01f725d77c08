SELECT county_code, level, count(*) AS n, sum(amount) AS total
FROM aid
WHERE amount >= 500 AND level = '小学'
GROUP BY county_code, level;
