// exec:java printed the summary of the project's own network
String log = new File(basedir, 'build.log').getText('UTF-8')
assert log.contains('TinyClassifier (com.example.consumer.TinyClassifier), input 32x32x3')
assert log.contains('parameters: 43,290 (0.2 MB as float32)')
// the network built from the project's own block (Fire, with parallel paths) compiled and ran
assert log.contains('Running com.example.consumer.TinySqueezeNetTest')
