def log = new File(basedir, 'build.log').text
// file:line:column, the column's name and the offending text (a letter O typed for a zero).
assert log =~ /cnn-baseline\.csv:3:8: column test_accuracy must be a number, found '0\.3O00'/
assert log.contains('BUILD FAILURE')
return true
