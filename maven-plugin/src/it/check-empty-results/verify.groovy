def log = new File(basedir, 'build.log').text
assert log =~ /(?s)BUILD FAILURE.*results\.csv has no rows: this run produced nothing to judge/
assert !log.contains('all rules passed')
return true
