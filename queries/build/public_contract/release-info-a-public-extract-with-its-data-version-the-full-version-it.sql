-- rule: release_info: a public extract with its data version, the full version it was made from and the code
-- Returns: the rows that break the rule (none when it holds).
select 'missing' as problem
where
    (
        select count(*)
        from release_info
        where
            (key = 'extract' and value = 'public')
            or (key in ('data_version', 'made_from', 'made_by') and length(value) = 10)
    ) != 4;
