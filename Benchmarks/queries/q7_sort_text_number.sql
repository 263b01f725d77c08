SELECT r, programme, amount
FROM (SELECT programme, amount, row_number() OVER (ORDER BY programme, amount DESC) AS r FROM aid) AS s
WHERE r % 100000 = 1
ORDER BY r;
