import { describe, expect, it } from 'vitest';
import { refusalFor } from '../../../server/http/client-errors';

const parserError = (code: string, raw?: string) => Object.assign(new Error(code), { code, ...(raw === undefined ? {} : { rawPacket: Buffer.from(raw, 'latin1') }) });

describe('refusalFor', () => {
  it('maps what the parser and the request deadlines raise to contract codes', () => {
    expect(refusalFor(parserError('HPE_HEADER_OVERFLOW'))).toMatchObject({ status: 431, code: 'too_large' });
    expect(refusalFor(parserError('HPE_CHUNK_EXTENSIONS_OVERFLOW'))).toMatchObject({ status: 413, code: 'too_large' });
    expect(refusalFor(parserError('ERR_HTTP_REQUEST_TIMEOUT'))).toMatchObject({ status: 408, code: 'invalid_input' });
    expect(refusalFor(parserError('HPE_INVALID_METHOD'))).toMatchObject({ status: 400, code: 'invalid_input' });
  });

  it('tells a Content-Length too large to read (over any limit) from a malformed one', () => {
    expect(refusalFor(parserError('HPE_INVALID_CONTENT_LENGTH', 'POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999999999999\r\n\r\n'))).toMatchObject({ status: 413, code: 'too_large' });
    expect(refusalFor(parserError('HPE_INVALID_CONTENT_LENGTH', 'POST / HTTP/1.1\r\ncontent-length:\t18446744073709551616 \r\n\r\n'))).toMatchObject({ status: 413, code: 'too_large' });
    expect(refusalFor(parserError('HPE_INVALID_CONTENT_LENGTH', 'POST / HTTP/1.1\r\nContent-Length: 0x10001\r\n\r\n'))).toMatchObject({ status: 400, code: 'invalid_input' });
    expect(refusalFor(parserError('HPE_INVALID_CONTENT_LENGTH'))).toMatchObject({ status: 400, code: 'invalid_input' });
  });
});
