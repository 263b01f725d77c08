SELECT level, count(*) AS n, sum(amount) AS total
FROM aid
WHERE instr(programme, '助学') > 0
GROUP BY level
ORDER BY level;
