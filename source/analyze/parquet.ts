import {parquetWriteBuffer, type SchemaElement} from 'hyparquet-writer';
import {timestampValue, type Column, type ColumnType, type Value} from './export.js';

/**
A table of the export as one Parquet file, in memory (the command module
writes it to disk without following links). Written by hyparquet-writer (pure
JavaScript), SNAPPY-compressed, every column OPTIONAL (null where the value is
unknown), with real types:
- string: BYTE_ARRAY, UTF8 (logical STRING);
- int32: INT32, for ticks and counts; a value that is not a whole number in
  int32's range (a feed field gone wrong) is null rather than a wrapped number;
- double: DOUBLE, prices and amounts at full precision; non-finite is null;
- boolean: BOOLEAN (verdicts: true, false, or null when not checkable);
- timestamp: INT64 milliseconds, logical TIMESTAMP(MILLIS, isAdjustedToUTC),
  read as a UTC instant by DuckDB, Polars and Spark (TIMESTAMP_MILLIS for
  older readers).
Text is written as it came (Parquet has no formulas; a NUL stays a NUL).
No column statistics (min/max per page and row group): computing them was
about a third of the write time, and they buy little here — a table of a day
holds a handful of row groups, and `--partition date` already lets a reader
skip whole days.
*/

const int32Min = -(2 ** 31);
const int32Max = (2 ** 31) - 1;

function element(name: string, type: ColumnType): SchemaElement {
	switch (type) {
		case 'string': {
			// eslint-disable-next-line unicorn/text-encoding-identifier-case -- Parquet's converted type is spelled UTF8, not an encoding name
			return {name, type: 'BYTE_ARRAY', converted_type: 'UTF8', logical_type: {type: 'STRING'}, repetition_type: 'OPTIONAL'};
		}

		case 'int32': {
			return {name, type: 'INT32', repetition_type: 'OPTIONAL'};
		}

		case 'double': {
			return {name, type: 'DOUBLE', repetition_type: 'OPTIONAL'};
		}

		case 'boolean': {
			return {name, type: 'BOOLEAN', repetition_type: 'OPTIONAL'};
		}

		case 'timestamp': {
			return {name, type: 'INT64', converted_type: 'TIMESTAMP_MILLIS', logical_type: {type: 'TIMESTAMP', isAdjustedToUTC: true, unit: 'MILLIS'}, repetition_type: 'OPTIONAL'};
		}
	}
}

type Cell = string | number | boolean | null;

/** Each type's conversion of a value to what its column takes, or null. */
const converters: Record<ColumnType, (value: Value) => Cell> = {
	string: value => (typeof value === 'string' ? value : null),
	int32: value => (typeof value === 'number' && Number.isInteger(value) && value >= int32Min && value <= int32Max ? value : null),
	double: value => (typeof value === 'number' && Number.isFinite(value) ? value : null),
	boolean: value => (typeof value === 'boolean' ? value : null),
	timestamp(value) {
		const ms = timestampValue(value);
		// Arrival times carry a sub-millisecond fraction; the column holds whole milliseconds.
		return ms === undefined || Math.abs(ms) > Number.MAX_SAFE_INTEGER ? null : Math.round(ms);
	},
};

export function parquetTable<Row>(columns: ReadonlyArray<Column<Row>>, rows: readonly Row[]): Uint8Array {
	const schema: SchemaElement[] = [{name: 'root', num_children: columns.length}, ...columns.map(column => element(column.name, column.type))];
	const columnData = columns.map(column => {
		const convert = converters[column.type];
		const data: Cell[] = [];
		// Runs once per cell of the export (millions for a day of play): no intermediate arrays.
		for (const row of rows) {
			data.push(convert(column.value(row)));
		}

		return {name: column.name, data};
	});
	return new Uint8Array(parquetWriteBuffer({schema, columnData, codec: 'SNAPPY', statistics: false}));
}
