import type {
	IAuthenticateGeneric,
	Icon,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
} from 'n8n-workflow';

export class GmiCloudApi implements ICredentialType {
	name = 'gmiCloudApi';

	displayName = 'GMI Cloud API';

	icon: Icon = { light: 'file:../nodes/Hailuo/hailuo.svg', dark: 'file:../nodes/Hailuo/hailuo.dark.svg' };

	documentationUrl = 'https://docs.gmicloud.ai/';

	properties: INodeProperties[] = [
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			description: 'Your GMI Cloud API key (Console → API Keys). A pasted "Bearer " prefix is ignored.',
		},
		{
			displayName: 'Organization ID',
			name: 'organizationId',
			type: 'string',
			default: '',
			description:
				'Only needed when your account belongs to several organizations; sent as the X-Organization-ID header',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'https://console.gmicloud.ai',
			description: 'Change only to go through a proxy or a test server',
		},
	];

	// The key may be pasted as "Bearer abc…": strip that so the header is never "Bearer Bearer abc…".
	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: {
				Authorization: '=Bearer {{ String($credentials.apiKey).trim().replace(/^Bearer\\s+/i, "") }}',
			},
		},
	};

	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{ String($credentials.baseUrl || "https://console.gmicloud.ai").replace(/\\/+$/, "") }}/api/v1/ie/requestqueue/apikey',
			url: '/models',
		},
		rules: [
			{
				type: 'responseCode',
				properties: { value: 401, message: 'API key rejected: check the API key in this credential' },
			},
			{
				type: 'responseCode',
				properties: { value: 403, message: 'API key rejected: check the API key in this credential' },
			},
		],
	};
}
