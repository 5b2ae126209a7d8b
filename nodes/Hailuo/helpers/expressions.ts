import type { IExecuteSingleFunctions, IHttpRequestOptions, INode, INodeProperties } from 'n8n-workflow';
import { NodeHelpers } from 'n8n-workflow';

import { isRecord } from '../../gmi/records';
import { type ItemInput, singleItem } from './itemInput';
import { invalidField } from './validation';

const isExpression = (raw: unknown): raw is string => typeof raw === 'string' && raw.startsWith('=');

/** What an expression may not resolve to in a field that has a default. */
const isNothing = (value: unknown): boolean => value === undefined || value === null || value === '';

/** A resource locator's default is `{ mode, value }`; other defaults are the value itself. */
const defaultOf = (property: INodeProperties): unknown => {
	const value: unknown = property.default;
	return isRecord(value) && property.type === 'resourceLocator' ? value.value : value;
};

const hasDefault = (property: INodeProperties): boolean => !isNothing(defaultOf(property)) && property.type !== 'collection';

function rawAt(parameters: INode['parameters'], path: string[]): unknown {
	let value: unknown = parameters;
	for (const key of path) value = isRecord(value) ? value[key] : undefined;
	return value;
}

const shown = (value: unknown): string => (value === '' ? 'empty text' : String(value));

/**
 * For the operation whose fields are `properties`: a field with a default whose expression resolves
 * to nothing (a typo like `{{ $json.durtion }}`, an empty sheet cell) is an error naming it. n8n
 * would otherwise use the default, a billed video nobody chose; only a field left unset takes its
 * default. Which fields hold an expression is read once per run; each item evaluates only those.
 */
export function emptyExpressionCheck(node: INode, properties: INodeProperties[]): (item: ItemInput) => void {
	const checks: Array<{ property: INodeProperties; name: string; expression: string; locator: boolean }> = [];
	const seen = new Set<string>();
	const add = (property: INodeProperties, path: string[]) => {
		const name = path.join('.');
		if (seen.has(name) || !hasDefault(property)) return;
		const raw = rawAt(node.parameters, path);
		const locator = isRecord(raw) && raw.__rl === true;
		const expression = locator ? raw.value : raw;
		if (!isExpression(expression)) return;
		seen.add(name);
		checks.push({ property, name, expression: expression.slice(1), locator });
	};
	for (const property of properties) {
		if (!NodeHelpers.displayParameter(node.parameters, property, node, null)) continue;
		if (property.type === 'collection') {
			for (const option of (property.options ?? []) as INodeProperties[]) add(option, [property.name, option.name]);
		} else {
			add(property, [property.name]);
		}
	}
	return (item) => {
		for (const { property, name, expression, locator } of checks) {
			const value = item.param(name, null, locator ? { extractValue: true } : undefined);
			if (!isNothing(value)) continue;
			throw invalidField(
				node,
				item.index,
				property,
				expression,
				`found no value (it resolved to ${shown(value)}); an expression that finds nothing does not fall back to the default (${JSON.stringify(defaultOf(property))})`,
			);
		}
	};
}

/** The same check as a preSend, for the operations that stay declarative (Video → List). */
export function refuseEmptyExpressions(properties: INodeProperties[]) {
	return async function refuseEmptyExpression(this: IExecuteSingleFunctions, requestOptions: IHttpRequestOptions): Promise<IHttpRequestOptions> {
		emptyExpressionCheck(this.getNode(), properties)(singleItem(this));
		return requestOptions;
	};
}
