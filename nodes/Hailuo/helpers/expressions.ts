import type { IExecuteSingleFunctions, IHttpRequestOptions, INodeProperties, INodeParameters } from 'n8n-workflow';
import { NodeHelpers } from 'n8n-workflow';

import { isRecord } from '../../gmi/records';
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

function rawAt(parameters: INodeParameters, path: string[]): unknown {
	let value: unknown = parameters;
	for (const key of path) value = isRecord(value) ? value[key] : undefined;
	return value;
}

/**
 * A preSend for the operation whose fields are `properties`: a field with a default whose
 * expression resolves to nothing (a typo like `{{ $json.durtion }}`, an empty sheet cell) is an
 * error naming it. n8n would otherwise send the default, a billed video nobody chose; only a field
 * left unset takes its default.
 */
export function refuseEmptyExpressions(properties: INodeProperties[]) {
	return async function refuseEmptyExpression(this: IExecuteSingleFunctions, requestOptions: IHttpRequestOptions): Promise<IHttpRequestOptions> {
		const node = this.getNode();
		const checked = new Set<string>();
		const check = (property: INodeProperties, path: string[]) => {
			const name = path.join('.');
			if (checked.has(name) || !hasDefault(property)) return;
			const raw = rawAt(node.parameters, path);
			const expression = isRecord(raw) && raw.__rl ? raw.value : raw;
			if (!isExpression(expression)) return;
			checked.add(name);
			const value = this.getNodeParameter(name, null, isRecord(raw) && raw.__rl ? { extractValue: true } : undefined);
			if (!isNothing(value)) return;
			throw invalidField(
				node,
				this.getItemIndex(),
				property,
				expression.slice(1),
				`got no value (the expression resolved to ${value === '' ? 'an empty string' : String(value)}); an expression that finds nothing does not fall back to the default (${JSON.stringify(defaultOf(property))})`,
			);
		};
		for (const property of properties) {
			if (!NodeHelpers.displayParameter(node.parameters, property, node, null)) continue;
			if (property.type === 'collection') {
				for (const option of (property.options ?? []) as INodeProperties[]) check(option, [property.name, option.name]);
			} else {
				check(property, [property.name]);
			}
		}
		return requestOptions;
	};
}
