// The request client that points twilio-node at another base URL is production code now
// (channels/twilio/client.ts); tests keep importing it from here.
export {
  BaseUrlRequestClient,
  rewriteTwilioUrl,
  twilioClientFor,
} from '../../../channels/twilio/client';
