import { describeHttpFailure, mostSpecificMessage, redactUrl } from '../../nodes/gmi/errors';

describe('reading GMI error bodies', () => {
	test('the nested details JSON string wins over the generic message', () => {
		const body = { error: { message: 'Invalid request payload', details: '{"error":{"message":"resolution 1080P is not supported for duration 10"}}' } };
		expect(mostSpecificMessage(body)).toBe('resolution 1080P is not supported for duration 10');
	});

	test.each([
		[{ error: 'Insufficient credits, please top up' }, 'Insufficient credits, please top up'],
		[{ message: 'bad model' }, 'bad model'],
		[{ detail: 'Not authenticated' }, 'Not authenticated'],
		[{ msg: 'quota' }, 'quota'],
		[{ error_message: 'oops' }, 'oops'],
		['plain text failure', 'plain text failure'],
		['<html><head><title>502 Bad Gateway</title></head></html>', '502 Bad Gateway'],
		['', undefined],
		[null, undefined],
	])('%p → %p', (body, expected) => {
		expect(mostSpecificMessage(body)).toBe(expected);
	});

	test('401 and 403 point at the credential', () => {
		expect(describeHttpFailure(403, { error: 'forbidden' })).toMatchObject({ message: expect.stringMatching(/API key was rejected \(HTTP 403\): forbidden/) });
	});

	test('signed URLs lose their query string before they reach a message', () => {
		expect(redactUrl('https://storage.example/up/abc?X-Goog-Signature=secret&X-Goog-Credential=x')).toBe('https://storage.example/up/abc');
	});
});
