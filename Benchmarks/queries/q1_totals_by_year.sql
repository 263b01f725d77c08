SELECT year, sum(amount) AS total
FROM aid
GROUP BY year
ORDER BY year;
