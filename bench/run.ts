// `npm run bench`: not built yet (issue "Performance"). Says so instead of pretending.
process.stderr.write('npm run bench: the benchmark is not built yet (see the Performance issue).\n');
process.exitCode = 1;
