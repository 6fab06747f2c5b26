import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
/**
 * Writes an 835 with `claims` CLPs (two service lines each: a paid 96413 and a J9271 denied CO-16
 * on every 10th claim) to `path`, streaming. Each claim charges 500.00 and is paid 240.00, so the
 * totals are known: BPR02 = 240.00 × claims. Used by the crash test and the ingest bench.
 */
export async function writeLarge835(path, claims) {
    const out = createWriteStream(path);
    const write = async (text) => {
        if (!out.write(text))
            await once(out, 'drain');
    };
    const total = (claims * 240).toFixed(2).replace(/\.00$/, '');
    await write('ISA*00*          *00*          *ZZ*BIGPAYER       *ZZ*BIGCLINIC      *260301*1200*^*00501*000099001*0*T*:~\n' +
        'GS*HP*BIGPAYER*BIGCLINIC*20260301*1200*99001*X*005010X221A1~\nST*835*0001~\n' +
        `BPR*I*${total}*C*ACH*CCP*01*011000015*DA*1234567890*1990000012**01*021000021*DA*9876543210*20260301~\n` +
        'TRN*1*BIGEFT0301*1990000012~\nDTM*405*20260301~\nN1*PR*BIG PAYER EXAMPLE*XV*BIG01~\n' +
        'N1*PE*EXAMPLE ONCOLOGY GROUP*XX*1548267313~\nLX*1~\n');
    let segments = 7;
    let items = 0;
    let chunk = '';
    for (let i = 1; i <= claims; i++) {
        const id = `BIG-${String(i).padStart(8, '0')}`;
        const denied = i % 10 === 0;
        if (denied)
            items++;
        chunk +=
            `CLP*${id}*1*500*240*60*MB*PCN${i}*11*1~\n` +
                'SVC*HC:96413*400*240**1~\nDTM*472*20260201~\nCAS*CO*45*100~\nCAS*PR*2*60~\n' +
                `SVC*HC:J9271*100*0**1~\nDTM*472*20260201~\nCAS*${denied ? 'CO*16' : 'CO*45'}*100~\n`;
        segments += 8;
        if (chunk.length > 64 * 1024) {
            await write(chunk);
            chunk = '';
        }
    }
    await write(`${chunk}SE*${segments + 1}*0001~\nGE*1*99001~\nIEA*1*000099001~\n`);
    out.end();
    await once(out, 'finish');
    return { paidCents: claims * 24000, items };
}
//# sourceMappingURL=large-835.js.map