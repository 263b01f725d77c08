SELECT county_code, count(DISTINCT student_id) AS students, sum(amount) AS total
FROM aid
WHERE programme = '国家助学金' AND year = 2023
GROUP BY county_code
ORDER BY total DESC
LIMIT 10;
