import { DEFAULT_SCRIPTED_MODEL, expect, test } from './fixtures/scripted-server.ts';

/** The page (another origin) can call the scripted server, as the app will: CORS on, and off. */
test('the page can call the scripted server across origins, and CORS off is refused', async ({
  page,
  scripted,
}) => {
  scripted.configure({
    truth: [
      {
        question: 'What is the secret code for Orion?',
        facts: [{ evidence: ['The secret code for Orion is AB12-CD34.'], answer: 'AB12-CD34' }],
      },
    ],
  });
  await page.goto('/');
  const answer = await page.evaluate(
    async ({ url, model }) => {
      const res = await fetch(`${url}/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: 'Bearer sk-e2e-fake' },
        body: JSON.stringify({
          model,
          stream: false,
          messages: [
            {
              role: 'user',
              content:
                'Find the secret code.\nQuestion: What is the secret code for Orion?\nText:\nThe secret code for Orion is AB12-CD34.',
            },
          ],
        }),
      });
      const body = await res.json();
      return body.choices[0].message.content as string;
    },
    { url: scripted.url, model: DEFAULT_SCRIPTED_MODEL },
  );
  expect(answer).toBe('AB12-CD34');
  expect(scripted.chatRequests()).toHaveLength(1);

  scripted.configure({ cors: false });
  const refused = await page.evaluate(async (url) => {
    try {
      await fetch(`${url}/models`);
      return 'answered';
    } catch (error) {
      return (error as Error).name;
    }
  }, scripted.url);
  expect(refused).toBe('TypeError');
});
